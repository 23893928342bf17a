package io.capxai.audit;

import io.capxai.matching.MatchResult;
import io.capxai.probing.CaptionSet;
import io.capxai.probing.Verdict;
import io.capxai.selection.SurgeryPlan;

import java.util.List;

/**
 * Everything an audit found. Row i of {@code before} and of {@code after[v]} belongs to evaluation
 * image {@code imageIndices[i]}; columns follow {@code captions}.
 *
 * @param clipName   how reports name the CLIP model ("CLIP-style model trained locally" for the default)
 * @param after      one [images][captions] matrix per variant, same order as {@code variants}
 * @param verdicts   one per variant (docs/method.md#caption-probe-and-verdict)
 */
public record AuditResult(String clipName, String standaloneName, Audit.Engine engine, MatchResult match, SurgeryPlan plan,
                          CaptionSet captions, List<Variant> variants, int[] imageIndices,
                          float[][] before, float[][][] after, List<Verdict> verdicts) {
    /** The verdict of the headline variant (the last: all stages replaced). */
    public Verdict headline() {
        return verdicts.getLast();
    }
}
