package io.capxai.report;

import io.capxai.probing.ConceptFinding;
import io.capxai.probing.ConceptInformation;
import io.capxai.probing.ControlComparison;
import io.capxai.probing.ControlRun;
import io.capxai.probing.InformationVerdict;
import io.capxai.probing.LabelDependence;
import io.capxai.probing.Share;
import io.capxai.probing.Spread;
import io.capxai.probing.VariantInformation;

import java.util.List;
import java.util.Locale;

import static io.capxai.report.Html.escape;

/** The HTML sections of the information verdict: the per-concept test, the per-variant information, the label dependence. */
final class VerdictHtml {
    private VerdictHtml() {}

    static String verdict(InformationVerdict v, int images, String clipModel) {
        StringBuilder t = new StringBuilder("<h2>Which concepts the model carries</h2>\n<p class=\"muted\">Variant <b>")
                .append(escape(v.variant())).append("</b>, ").append(images).append(" images probed with <b>").append(escape(clipModel))
                .append("</b>. Accuracy: argmax among one concept's captions only, against the images' labels. Retained: (after - chance) /"
                        + " (before - chance), 95 % bootstrap interval over images (" + ConceptInformation.BOOTSTRAP_RESAMPLES
                        + " resamples, seed " + ConceptInformation.BOOTSTRAP_SEED + "). Carried: after-surgery accuracy above ")
                .append(v.controls()).append(" random-weight controls of the same architecture, one-sided z-test at alpha "
                        + ControlComparison.ALPHA + " (z = (a - m) / sqrt(s&sup2;(1 + 1/K) + p&#771;(1 - p&#771;)/n)).</p>\n");
        t.append("<table id=\"verdict\"><tr><th>concept</th><th>before (ceiling)</th><th>after</th><th>chance</th><th>retained</th>"
                + "<th>controls after (mean &plusmn; sd)</th><th>effect</th><th>z</th><th>p</th><th>carried</th></tr>");
        for (ConceptFinding f : v.concepts()) {
            ConceptInformation m = f.information();
            ControlComparison c = f.comparison();
            t.append("<tr><td>").append(escape(f.concept())).append("</td><td>").append(accuracy(m.before())).append("</td><td>")
                    .append(accuracy(m.after())).append("</td><td>").append(fmt(m.chance())).append("</td><td>")
                    .append(escape(m.retainedText())).append("</td>");
            if (c == null) {
                t.append("<td colspan=\"4\">no controls run</td><td>-</td>");
            } else {
                t.append("<td>").append(fmt(c.controlMean())).append(" &plusmn; ").append(fmt(c.controlSd())).append(" (K = ")
                        .append(c.controls()).append(")</td><td>").append(String.format(Locale.ROOT, "%+.2f", c.effect()))
                        .append("</td><td>").append(String.format(Locale.ROOT, "%.2f", c.z())).append("</td><td>")
                        .append(escape(c.pText())).append("</td><td class=\"").append(f.carried() ? "ok" : "bad").append("\">")
                        .append(f.carried() ? "yes" : c.direction() == ControlComparison.Direction.BELOW ? "no (below)" : "no")
                        .append("</td>");
            }
            t.append("</tr>");
        }
        return t.append("</table>\n").toString();
    }

    /** Every variant, every concept: the model's accuracies and retained share, the controls' after-surgery accuracies. */
    static String information(List<VariantInformation> variants, List<ControlRun> controls) {
        if (variants.isEmpty()) {
            return "";
        }
        StringBuilder t = new StringBuilder("<h2>Information per variant</h2>\n<p class=\"muted\">Each stage replaced alone, then"
                + " together. The controls' column is descriptive; the test above is made on the answer's variant only.</p>\n"
                + "<table id=\"information\"><tr><th>variant</th><th>concept</th><th>before</th><th>after</th><th>retained</th>"
                + "<th>controls after (mean &plusmn; sd)</th></tr>");
        for (int v = 0; v < variants.size(); v++) {
            for (ConceptInformation m : variants.get(v).concepts()) {
                t.append("<tr><td>").append(escape(variants.get(v).variant())).append("</td><td>").append(escape(m.concept()))
                        .append("</td><td>").append(accuracy(m.before())).append("</td><td>").append(accuracy(m.after()))
                        .append("</td><td>").append(escape(m.retainedText())).append("</td><td>")
                        .append(controlsAfter(controls, v, m.concept())).append("</td></tr>");
            }
        }
        return t.append("</table>\n").toString();
    }

    static String dependence(List<LabelDependence> pairs) {
        if (pairs.isEmpty()) {
            return "";
        }
        StringBuilder t = new StringBuilder("<h3>Dependence between the concepts' labels</h3>\n<table id=\"dependence\"><tr>"
                + "<th>concepts</th><th>Cramér's V</th><th>warning (V &ge; " + LabelDependence.WARN_AT + ")</th></tr>");
        for (LabelDependence d : pairs) {
            t.append("<tr><td>").append(escape(d.first())).append(" / ").append(escape(d.second())).append("</td><td>")
                    .append(Double.isNaN(d.v()) ? "- (one label only)" : fmt(d.v())).append("</td><td>")
                    .append(d.warning() ? "<span class=\"bad\">confounded</span>" : "no").append("</td></tr>");
        }
        return t.append("</table>\n").toString();
    }

    private static String controlsAfter(List<ControlRun> controls, int variant, String concept) {
        if (controls.isEmpty()) {
            return "-";
        }
        Spread s = Spread.of(controls.stream().mapToDouble(c -> c.information().get(variant).concept(concept).after().value()).toArray());
        return fmt(s.mean()) + " &plusmn; " + fmt(s.sd());
    }

    private static String accuracy(Share s) {
        return String.format(Locale.ROOT, "%.2f [%.2f, %.2f]", s.value(), s.lower(), s.upper());
    }

    private static String fmt(double x) {
        return String.format(Locale.ROOT, "%.2f", x);
    }
}
