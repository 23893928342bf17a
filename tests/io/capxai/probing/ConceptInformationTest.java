package io.capxai.probing;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The retained share on synthetic similarity matrices whose answers are known. */
class ConceptInformationTest {
    static final CaptionSet CAPTIONS = CaptionSet.coloredMnist();   // columns 0: "5", 1: "8", 2: green, 3: red

    /** Balanced labels: image i is a 5 when i % 2 == 0, red when (i / 2) % 2 == 0 (every digit in every colour). */
    static ImageLabels balanced(int n) {
        String[][] labels = new String[n][];
        for (int i = 0; i < n; i++) {
            labels[i] = new String[] {i % 2 == 0 ? "5" : "8", (i / 2) % 2 == 0 ? "red" : "green"};
        }
        return new ImageLabels(List.of("shape", "colour"), labels);
    }

    /** Similarities where the shape argmax is right when {@code shapeRight.test(i)}, the colour argmax when {@code colourRight.test(i)}. */
    static float[][] sims(ImageLabels labels, java.util.function.IntPredicate shapeRight, java.util.function.IntPredicate colourRight) {
        float[][] out = new float[labels.images()][];
        for (int i = 0; i < labels.images(); i++) {
            boolean five = labels.label(i, "shape").equals("5");
            boolean red = labels.label(i, "colour").equals("red");
            float[] row = {0.1f, 0.1f, 0.1f, 0.1f};
            row[five == shapeRight.test(i) ? 0 : 1] = 0.3f;
            row[red == colourRight.test(i) ? 3 : 2] = 0.2f;
            out[i] = row;
        }
        return out;
    }

    @Test
    void aConceptAtCeilingRetainsAllOfItAndOneAtChanceNone() {
        int n = 40;
        ImageLabels labels = balanced(n);
        float[][] before = sims(labels, i -> true, i -> true);
        // after: colour still perfect; shape right on exactly half of the images of each digit (chance)
        float[][] after = sims(labels, i -> (i / 2) % 2 == 0, i -> true);
        ConceptInformation colour = ConceptInformation.of("colour", CAPTIONS, labels, before, after);
        ConceptInformation shape = ConceptInformation.of("shape", CAPTIONS, labels, before, after);

        assertEquals(1.0, colour.before().value());
        assertEquals(1.0, colour.after().value());
        assertEquals(0.5, colour.chance());
        assertEquals(1.0, colour.retained(), 1e-12);
        assertEquals(1.0, colour.retainedLower(), 1e-12, "every resample keeps 100 %");
        assertEquals(1.0, colour.retainedUpper(), 1e-12);

        assertEquals(0.5, shape.after().value());
        assertEquals(0.0, shape.retained(), 1e-12);
        assertTrue(shape.retainedLower() < 0 && shape.retainedUpper() > 0,
                "the interval covers 0: [" + shape.retainedLower() + ", " + shape.retainedUpper() + "]");
        assertEquals(n, shape.images());
        assertTrue(shape.after().lower() < 0.5 && shape.after().upper() > 0.5, "Wilson interval around 50 %");
    }

    @Test
    void retainedShareIsAfterAboveChanceOverBeforeAboveChance() {
        int n = 40;
        ImageLabels labels = balanced(n);
        // before: colour right on 36 of 40 (0.9); after: right on 28 of 40 (0.7): (0.7 - 0.5) / (0.9 - 0.5) = 0.5
        float[][] before = sims(labels, i -> true, i -> i >= 4);
        float[][] after = sims(labels, i -> true, i -> i >= 12);
        ConceptInformation colour = ConceptInformation.of("colour", CAPTIONS, labels, before, after);
        assertEquals(0.9, colour.before().value(), 1e-12);
        assertEquals(0.7, colour.after().value(), 1e-12);
        assertEquals(0.5, colour.retained(), 1e-12);
        assertTrue(colour.retainedLower() < 0.5 && colour.retainedUpper() > 0.5);
        ConceptInformation again = ConceptInformation.of("colour", CAPTIONS, labels, before, after);
        assertEquals(colour, again, "fixed bootstrap seed: the same interval every time");
    }

    @Test
    void undefinedWhenTheProbeFailsBeforeSurgery() {
        ImageLabels labels = balanced(20);
        float[][] before = sims(labels, i -> i % 4 < 2, i -> true);  // shape at chance before surgery
        ConceptInformation shape = ConceptInformation.of("shape", CAPTIONS, labels, before, before);
        assertEquals(0.5, shape.before().value());
        assertTrue(Double.isNaN(shape.retained()));
        assertTrue(shape.retainedText().startsWith("undefined"), shape.retainedText());
    }

    @Test
    void imagesWithoutACaptionForTheirLabelAreNotScored() {
        String[][] raw = {{"5", "red"}, {"8", "grey"}, {"8", "green"}, {"5", "grey"}};
        ImageLabels labels = new ImageLabels(List.of("shape", "colour"), raw);
        float[][] sims = {{.3f, .1f, .1f, .2f}, {.1f, .3f, .2f, .1f}, {.1f, .3f, .2f, .1f}, {.3f, .1f, .2f, .1f}};
        ConceptInformation colour = ConceptInformation.of("colour", CAPTIONS, labels, sims, sims);
        assertEquals(2, colour.images(), "grey digits have no colour caption");
        assertEquals(1.0, colour.after().value());
        assertEquals(4, ConceptInformation.of("shape", CAPTIONS, labels, sims, sims).images());
        String[][] allGrey = {{"5", "grey"}};
        assertThrows(IllegalArgumentException.class, () -> ConceptInformation.of("colour", CAPTIONS,
                new ImageLabels(List.of("shape", "colour"), allGrey), new float[][] {sims[0]}, new float[][] {sims[0]}));
    }
}
