package io.capxai.report;

import io.capxai.probing.ImageLabels;
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
 * @param verdicts        one per surgery variant, in the order run (per-stage table)
 * @param headline        the variant whose influence gives the one-line {@code answer}
 * @param labels          the evaluated images' true labels (row = image, as in the verdicts)
 */
public record AuditReport(String title, String answer, String headline, String clipModel,
                          List<ModelDescription> models, Map<String, String> options,
                          SelectionSummary selection, TapPairMeans scoreMeans,
                          List<Verdict> verdicts, ImageLabels labels) {
    public AuditReport {
        models = List.copyOf(models);
        options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
        verdicts = List.copyOf(verdicts);
        if (verdicts.isEmpty()) {
            throw new IllegalArgumentException("a report needs at least one verdict");
        }
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
                options, selection, scoreMeans, verdicts, labels);
    }

    /** The headline verdict. */
    public Verdict headlineVerdict() {
        return verdicts.stream().filter(v -> v.variant().equals(headline)).findFirst().orElse(verdicts.getLast());
    }
}
