package io.capxai.probing;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pre-registered control test on known inputs. */
class ControlComparisonTest {
    @Test
    void normalTailMatchesKnownQuantiles() {
        assertEquals(0.5, ControlComparison.upperTail(0), 1e-7);
        assertEquals(0.05, ControlComparison.upperTail(1.6448536269514722), 1e-6);
        assertEquals(0.025, ControlComparison.upperTail(1.959963984540054), 1e-6);
        assertEquals(0.975, ControlComparison.upperTail(-1.959963984540054), 1e-6);
    }

    @Test
    void theStatisticIsTheStatedFormula() {
        double[] controls = {0.68, 0.70, 0.66, 0.72, 0.69};
        ControlComparison c = ControlComparison.test(490, 500, controls);
        double mean = 0.69;
        double sd = Math.sqrt((0.0001 + 0.0001 + 0.0009 + 0.0009 + 0) / 4);
        double pt = 492.0 / 504;
        double z = (0.98 - mean) / Math.sqrt(sd * sd * 1.2 + pt * (1 - pt) / 500);
        assertEquals(mean, c.controlMean(), 1e-12);
        assertEquals(sd, c.controlSd(), 1e-12);
        assertEquals(0.98 - mean, c.effect(), 1e-12);
        assertEquals(z, c.z(), 1e-9);
        assertEquals(ControlComparison.Direction.ABOVE, c.direction());
        assertTrue(c.carried());
        assertTrue(c.pValue() < 0.001);
    }

    @Test
    void aModelEqualToTheControlsIsNotAboveThem() {
        ControlComparison c = ControlComparison.test(480, 500, new double[] {0.96, 0.95, 0.97, 0.96, 0.96});
        assertEquals(0.0, c.effect(), 1e-12);
        assertEquals(0.5, c.pValue(), 1e-6);
        assertEquals(ControlComparison.Direction.NOT_ABOVE, c.direction());
        assertFalse(c.carried());
    }

    @Test
    void identicalControlsAtCeilingDoNotDivideByZero() {
        ControlComparison c = ControlComparison.test(500, 500, new double[] {1, 1, 1, 1, 1});
        assertEquals(0.0, c.controlSd());
        assertEquals(0.5, c.pValue(), 1e-6);
        assertFalse(c.carried());
    }

    @Test
    void aModelAtChanceBelowTheControlsIsBelow() {
        ControlComparison c = ControlComparison.test(230, 500, new double[] {0.68, 0.70, 0.66, 0.72, 0.69});
        assertEquals(ControlComparison.Direction.BELOW, c.direction());
        assertTrue(c.pValue() > 0.999);
    }

    @Test
    void needsAtLeastTwoControls() {
        assertThrows(IllegalArgumentException.class, () -> ControlComparison.test(5, 10, new double[] {0.5}));
        assertThrows(IllegalArgumentException.class, () -> ControlComparison.test(11, 10, new double[] {0.5, 0.6}));
    }

    @Test
    void theVerdictSaysWhichConceptIsCarriedAboveTheControls() {
        int n = 40;
        ImageLabels labels = ConceptInformationTest.balanced(n);
        CaptionSet captions = ConceptInformationTest.CAPTIONS;
        float[][] before = ConceptInformationTest.sims(labels, i -> true, i -> true);
        // model: shape and colour intact; controls: colour intact, shape at chance
        VariantInformation model = VariantInformation.of("all", captions, labels, before, before);
        List<VariantInformation> controls = new java.util.ArrayList<>();
        for (int k = 0; k < 3; k++) {
            int shift = k;
            controls.add(VariantInformation.of("all", captions, labels, before,
                    ConceptInformationTest.sims(labels, i -> ((i + 2 * shift) / 2) % 2 == 0, i -> true)));
        }
        InformationVerdict v = InformationVerdict.of(model, controls);
        assertEquals(3, v.controls());
        assertTrue(v.concept("shape").carried(), v.answer());
        assertFalse(v.concept("colour").carried(), v.answer());
        assertTrue(v.answer().contains("carries shape ("), v.answer());
        assertTrue(v.answer().contains("carries colour? not above the controls"), v.answer());
        assertEquals(0.0, v.concept("shape").controlsRetainedMean(), 1e-12);

        InformationVerdict none = InformationVerdict.of(model, List.of());
        assertFalse(none.concept("shape").carried(), "nothing is carried without controls");
        assertTrue(none.answer().contains("no controls run"), none.answer());
        assertThrows(IllegalArgumentException.class, () -> InformationVerdict.of(model, controls.subList(0, 1)));
    }
}
