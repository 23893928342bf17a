package io.capxai.probing;

import java.util.Locale;

/**
 * One concept's verdict for one model: its information after surgery and, when controls ran, the
 * test against them. {@code carried} is true only when the model is significantly above the controls.
 *
 * @param comparison  null when no controls ran (then nothing is called carried)
 * @param controlsRetainedMean the controls' mean retained share (NaN without controls)
 */
public record ConceptFinding(String concept, ConceptInformation information, ControlComparison comparison,
                             double controlsRetainedMean, boolean carried, String sentence) {
    public static ConceptFinding of(ConceptInformation model, ControlComparison comparison, double controlsRetainedMean) {
        return new ConceptFinding(model.concept(), model, comparison, controlsRetainedMean,
                comparison != null && comparison.carried(), sentence(model, comparison));
    }

    /** e.g. {@code carries shape (accuracy after surgery 0.98 vs controls 0.69 ± 0.03, p < 0.001; retained 0.97 [0.95, 0.99])}. */
    static String sentence(ConceptInformation m, ControlComparison c) {
        String numbers = String.format(Locale.ROOT, "accuracy after surgery %.2f", m.after().value());
        String retained = "retained " + m.retainedText();
        if (c == null) {
            return String.format(Locale.ROOT, "%s: %s (before %.2f, chance %.2f; %s; no controls run)", m.concept(), numbers,
                    m.before().value(), m.chance(), retained);
        }
        String vs = String.format(Locale.ROOT, "%s vs controls %.2f ± %.2f, %s; %s", numbers, c.controlMean(), c.controlSd(),
                c.pText(), retained);
        return switch (c.direction()) {
            case ABOVE -> "carries " + m.concept() + " (" + vs + ")";
            case NOT_ABOVE -> "carries " + m.concept() + "? not above the controls (" + vs + ")";
            case BELOW -> "carries " + m.concept() + "? no: below the controls (" + vs + ")";
        };
    }
}
