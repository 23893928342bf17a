package io.capxai.report;

import io.capxai.probing.ControlRun;
import io.capxai.probing.ImageLabels;
import io.capxai.probing.InformationVerdict;
import io.capxai.probing.LabelDependence;
import io.capxai.probing.VariantInformation;
import io.capxai.probing.Verdict;
import io.capxai.selection.SelectionSummary;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything an audit reports, as plain records: written as {@code report.json} and rendered as
 * {@code report.html} by {@link ReportWriter}.
 *
 * @param clipModel       the image-text model's label (see {@link ModelDescription#label()})
 * @param options         every choice that shaped the result (split, taps, resize, rule, ...)
 * @param answer          the one-line answer: the information verdict's when there is one, else the paper metric's
 * @param verdicts        the paper metric (4-way influence shares), one per surgery variant, in the order run
 * @param headline        the variant the answer is about
 * @param labels          the evaluated images' true labels (row = image, as in the verdicts)
 * @param verdict         which concepts the model carries above random-weight controls (null in paper-metric-only reports)
 * @param information     per-concept information per variant (empty when not computed)
 * @param controls        the controls' information per variant (empty when none ran)
 * @param dependence      Cramér's V between the concepts' labels on the evaluated images, with warnings
 * @param paperMetricNote why the paper metric is not the headline
 */
public record AuditReport(String title, String answer, String headline, String clipModel,
                          List<ModelDescription> models, Map<String, String> options,
                          SelectionSummary selection, TapPairMeans scoreMeans,
                          List<Verdict> verdicts, ImageLabels labels, InformationVerdict verdict,
                          List<VariantInformation> information, List<ControlRun> controls,
                          List<LabelDependence> dependence, String paperMetricNote) {
    /** Why the paper's 4-way share is shown beside the answer, not as it. */
    public static final String PAPER_METRIC_NOTE = "Paper metric: for every image, the caption whose similarity gains most"
            + " (after - before surgery) among all captions credits its concept, right or wrong. It is not the headline:"
            + " it counts wrong captions as hits, a network with random weights moves it as much as trained ones, and on"
            + " images where the concepts are confounded a model that reads only one of them scores for both.";

    public AuditReport {
        models = List.copyOf(models);
        options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
        verdicts = List.copyOf(verdicts);
        if (verdicts.isEmpty()) {
            throw new IllegalArgumentException("a report needs at least one verdict");
        }
        information = information == null ? List.of() : List.copyOf(information);
        controls = controls == null ? List.of() : List.copyOf(controls);
        dependence = dependence == null ? List.of() : List.copyOf(dependence);
        paperMetricNote = paperMetricNote == null ? PAPER_METRIC_NOTE : paperMetricNote;
    }

    /**
     * This report with the information verdict as its answer (its variant as the headline), the
     * per-variant information, the controls and the label dependence.
     */
    public AuditReport withVerdict(InformationVerdict verdict, List<VariantInformation> information, List<ControlRun> controls,
                                   List<LabelDependence> dependence) {
        if (verdicts.stream().noneMatch(v -> v.variant().equals(verdict.variant()))) {
            throw new IllegalArgumentException("no paper-metric verdict for the answer's variant '" + verdict.variant() + "'");
        }
        return new AuditReport(title, verdict.answer(), verdict.variant(), clipModel, models, options, selection, scoreMeans,
                verdicts, labels, verdict, information, controls, dependence, paperMetricNote);
    }

    /**
     * Builds a report whose answer is the headline variant's influence verdict.
     *
     * @param headline the variant to headline, or null for the last one (e.g. the cumulative swap)
     */
    public static AuditReport of(String title, ModelDescription standalone, ModelDescription imageText,
                                 Map<String, String> options, SelectionSummary selection, TapPairMeans scoreMeans,
                                 List<Verdict> verdicts, ImageLabels labels, String headline) {
        if (!"image-text".equals(imageText.role()) || !"standalone".equals(standalone.role())) {
            throw new IllegalArgumentException("expected a standalone and an image-text model description");
        }
        if (verdicts.isEmpty()) {
            throw new IllegalArgumentException("a report needs at least one verdict");
        }
        Verdict top = verdicts.getLast();
        if (headline != null) {
            top = verdicts.stream().filter(v -> v.variant().equals(headline)).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("no verdict for headline variant '" + headline + "'"));
        }
        for (Verdict v : verdicts) {
            if (v.images() != labels.images()) {
                throw new IllegalArgumentException("verdict '" + v.variant() + "' has " + v.images()
                        + " images but " + labels.images() + " are labelled");
            }
        }
        return new AuditReport(title, top.answer(), top.variant(), imageText.label(), List.of(standalone, imageText),
                options, selection, scoreMeans, verdicts, labels, null, List.of(), List.of(),
                LabelDependence.of(labels), PAPER_METRIC_NOTE);
    }

    /** The paper metric's verdict of the headline variant. */
    public Verdict headlineVerdict() {
        return verdicts.stream().filter(v -> v.variant().equals(headline)).findFirst().orElse(verdicts.getLast());
    }
}
