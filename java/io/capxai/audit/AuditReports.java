package io.capxai.audit;

import io.capxai.data.Dataset;
import io.capxai.probing.ImageLabels;
import io.capxai.probing.Verdict;
import io.capxai.report.AuditReport;
import io.capxai.report.ExampleImage;
import io.capxai.report.ModelDescription;
import io.capxai.report.ReportWriter;
import io.capxai.report.TapPairMeans;
import io.capxai.selection.SelectionSummary;
import io.capxai.selection.SurgeryPlan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns an {@link AuditResult} into {@code report.json} and {@code report.html}. */
public final class AuditReports {
    private AuditReports() {}

    /**
     * @param clipTrainedLocally true for the embedded default: reports then call it "CLIP-style model trained locally"
     * @param options            every choice that shaped the result, shown in the report
     */
    public static AuditReport report(AuditResult result, ImageLabels labels, boolean clipTrainedLocally,
                                     Map<String, String> options) {
        Map<String, String> all = new LinkedHashMap<>(options);
        all.put("controls", result.controls().isEmpty() ? "none" : result.controls().size() + " x "
                + result.controls().getFirst().model() + ", seeds " + result.controls().stream().map(c -> Long.toString(c.seed())).toList());
        return report(result.standaloneName(), result.clipName(), result.engine(), result.plan(),
                result.match().standalone().images(), TapPairMeans.of(result.match().scores()), result.verdicts(),
                labels, clipTrainedLocally, all)
                .withVerdict(result.verdict(), result.information(), result.controls(), result.dependence());
    }

    /** The report from an audit's parts, e.g. one run on a cluster, where no machine holds the whole score matrix. */
    public static AuditReport report(String standaloneName, String clipName, Audit.Engine engine, SurgeryPlan plan,
                                     long statisticsImages, TapPairMeans tapPairMeans, List<Verdict> verdicts,
                                     ImageLabels labels, boolean clipTrainedLocally, Map<String, String> options) {
        ModelDescription standalone = ModelDescription.standalone(standaloneName, "");
        ModelDescription clip = clipTrainedLocally
                ? ModelDescription.localClip(clipName, "")
                : ModelDescription.imageTextFromFile(clipName, "");
        Map<String, String> all = new LinkedHashMap<>(options);
        all.put("engine", engine.name().toLowerCase());
        all.put("selection", plan.rule());
        all.put("statistics images", Long.toString(statisticsImages));
        all.put("evaluated images", Integer.toString(labels.images()));
        return AuditReport.of("Caption-driven bias audit of " + standaloneName, standalone, clip, all,
                SelectionSummary.of(plan), tapPairMeans, verdicts, labels, null);
    }

    /** Writes both report files into {@code dir}, with up to {@code examples} evaluation images shown. */
    public static Path write(AuditReport report, Dataset evaluation, int examples, Path dir) {
        List<ExampleImage> images = new ArrayList<>();
        for (int i = 0; i < Math.min(examples, evaluation.size()); i++) {
            images.add(new ExampleImage(i, evaluation.image(i).toBufferedImage()));
        }
        try {
            return ReportWriter.write(report, images, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report into " + dir + ": " + e.getMessage(), e);
        }
    }
}
