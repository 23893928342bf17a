package io.capxai.probing;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cramér's V on tables with known values. */
class LabelDependenceTest {
    @Test
    void knownTables() {
        assertEquals(1.0, LabelDependence.cramersV(new long[][] {{50, 0}, {0, 50}}), 1e-12, "one label determines the other");
        assertEquals(0.0, LabelDependence.cramersV(new long[][] {{25, 25}, {25, 25}}), 1e-12, "independent");
        // n = 100, expected 12, 18, 28, 42: chi2 = 4/12 + 4/18 + 4/28 + 4/42
        double chi2 = 4 / 12.0 + 4 / 18.0 + 4 / 28.0 + 4 / 42.0;
        assertEquals(Math.sqrt(chi2 / 100), LabelDependence.cramersV(new long[][] {{10, 20}, {30, 40}}), 1e-12);
        // 3 x 2, perfectly dependent columns collapse: V = 1 with min(r, c) - 1 = 1
        assertEquals(1.0, LabelDependence.cramersV(new long[][] {{10, 0}, {10, 0}, {0, 20}}), 1e-12);
    }

    @Test
    void warnsOnConfoundedImagesOnly() {
        String[][] confounded = new String[8][];
        String[][] balanced = new String[8][];
        for (int i = 0; i < 8; i++) {
            confounded[i] = new String[] {i % 2 == 0 ? "5" : "8", i % 2 == 0 ? "red" : "green"};
            balanced[i] = new String[] {i % 2 == 0 ? "5" : "8", (i / 2) % 2 == 0 ? "red" : "green"};
        }
        LabelDependence bad = LabelDependence.of(new ImageLabels(List.of("shape", "colour"), confounded)).getFirst();
        assertEquals(1.0, bad.v(), 1e-12);
        assertTrue(bad.warning());
        assertTrue(bad.message().contains("Cramér's V 1.00 >= 0.3"), bad.message());
        LabelDependence good = LabelDependence.of(new ImageLabels(List.of("shape", "colour"), balanced)).getFirst();
        assertEquals(0.0, good.v(), 1e-12);
        assertFalse(good.warning());
        String[][] oneColour = {{"5", "red"}, {"8", "red"}};
        assertTrue(Double.isNaN(LabelDependence.of(new ImageLabels(List.of("shape", "colour"), oneColour)).getFirst().v()));
    }
}
