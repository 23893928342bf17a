package io.capxai.probing;

import java.util.ArrayList;
import java.util.List;

/**
 * The headline answer of an audit: for the pre-registered variant, which concepts the model
 * carries into CLIP beyond what random-weight controls of its architecture carry
 * (see {@link ControlComparison}); one {@link ConceptFinding} per concept and one sentence.
 *
 * @param controls how many controls the test used (0: none ran, and nothing is called carried)
 */
public record InformationVerdict(String variant, int controls, List<ConceptFinding> concepts, String answer) {
    public InformationVerdict {
        concepts = List.copyOf(concepts);
    }

    /**
     * @param model    the model's information of the headline variant
     * @param controls each control's information of the same variant on the same images (may be empty)
     */
    public static InformationVerdict of(VariantInformation model, List<VariantInformation> controls) {
        if (controls.size() == 1) {
            throw new IllegalArgumentException("one control has no spread to test against: give none or at least 2");
        }
        List<ConceptFinding> findings = new ArrayList<>();
        for (ConceptInformation m : model.concepts()) {
            ControlComparison comparison = null;
            double retainedMean = Double.NaN;
            if (!controls.isEmpty()) {
                double[] accuracies = new double[controls.size()];
                double retainedSum = 0;
                for (int k = 0; k < controls.size(); k++) {
                    VariantInformation c = controls.get(k);
                    if (!c.variant().equals(model.variant())) {
                        throw new IllegalArgumentException("control variant " + c.variant() + " is not the model's " + model.variant());
                    }
                    ConceptInformation ci = c.concept(m.concept());
                    if (ci.images() != m.images()) {
                        throw new IllegalArgumentException("control " + k + " scored " + ci.images() + " images of " + m.concept()
                                + ", the model " + m.images() + ": controls must be audited on the same images");
                    }
                    accuracies[k] = ci.after().value();
                    retainedSum += ci.retained();
                }
                comparison = ControlComparison.test(m.after().count(), m.images(), accuracies);
                retainedMean = retainedSum / controls.size();
            }
            findings.add(ConceptFinding.of(m, comparison, retainedMean));
        }
        String answer = String.join(" · ", findings.stream().map(ConceptFinding::sentence).toList());
        return new InformationVerdict(model.variant(), controls.size(), findings, answer);
    }

    public ConceptFinding concept(String name) {
        return concepts.stream().filter(c -> c.concept().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("no concept '" + name + "' in this verdict"));
    }
}
