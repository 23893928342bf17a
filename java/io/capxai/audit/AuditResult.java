package io.capxai.audit;

import io.capxai.matching.MatchResult;
import io.capxai.probing.CaptionSet;
import io.capxai.probing.ControlRun;
import io.capxai.probing.InformationVerdict;
import io.capxai.probing.LabelDependence;
import io.capxai.probing.VariantInformation;
import io.capxai.probing.Verdict;
import io.capxai.selection.SurgeryPlan;

import java.util.List;

/**
 * Everything an audit found. Row i of {@code before} and of {@code after[v]} belongs to evaluation
 * image {@code imageIndices[i]}; columns follow {@code captions}.
 *
 * @param clipName    how reports name the CLIP model ("CLIP-style model trained locally" for the default)
 * @param after       one [images][captions] matrix per variant, same order as {@code variants}
 * @param verdicts    the paper's 4-way influence shares, one per variant (the "paper metric", docs/method.md#caption-probe-and-verdict)
 * @param information per-concept information (within-concept accuracy before/after, retained share), one per variant
 * @param controls    the random-weight controls audited the same way (empty when none ran)
 * @param verdict     the answer: which concepts the model carries above the controls, on the last variant
 * @param dependence  Cramér's V between the concepts' labels on the evaluated images (warnings when high)
 */
public record AuditResult(String clipName, String standaloneName, Audit.Engine engine, MatchResult match, SurgeryPlan plan,
                          CaptionSet captions, List<Variant> variants, int[] imageIndices,
                          float[][] before, float[][][] after, List<Verdict> verdicts,
                          List<VariantInformation> information, List<ControlRun> controls, InformationVerdict verdict,
                          List<LabelDependence> dependence) {
    /** The paper metric's verdict of the headline variant (the last: all stages replaced). */
    public Verdict headline() {
        return verdicts.getLast();
    }
}
