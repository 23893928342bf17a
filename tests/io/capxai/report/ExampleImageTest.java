package io.capxai.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ExampleImageTest {
    @Test
    void planarRgbBecomesPixels() {
        float[] chw = new float[3 * 2 * 3];
        chw[0] = 1f;                 // red at (0, 0)
        chw[6 + 4] = 1f;             // green at (1, 1)
        chw[12 + 5] = 0.5f;          // half blue at (1, 2)
        ExampleImage e = ExampleImage.fromRgb(7, chw, 2, 3);
        assertEquals(3, e.image().getWidth());
        assertEquals(0xff0000, e.image().getRGB(0, 0) & 0xffffff);
        assertEquals(0x00ff00, e.image().getRGB(1, 1) & 0xffffff);
        assertEquals(0x000080, e.image().getRGB(2, 1) & 0xffffff);
    }

    @Test
    void normalisedInputIsUndone() {
        float[] mean = {0.48145466f, 0.4578275f, 0.40821073f};
        float[] std = {0.26862954f, 0.26130258f, 0.27577711f};
        // a pure red pixel after normalisation: red from 1.0, green and blue from 0.0
        float[] chw = {(1 - mean[0]) / std[0], (0 - mean[1]) / std[1], (0 - mean[2]) / std[2]};
        ExampleImage e = ExampleImage.fromNormalised(0, chw, 1, 1, mean, std);
        assertEquals(0xff0000, e.image().getRGB(0, 0) & 0xffffff);
    }

    @Test
    void packedPixelsAndBadShapes() {
        ExampleImage e = ExampleImage.fromPackedRgb(1, new int[] {0x123456, 0xabcdef}, 1, 2);
        assertEquals(0xabcdef, e.image().getRGB(1, 0) & 0xffffff);
        assertThrows(IllegalArgumentException.class, () -> ExampleImage.fromPackedRgb(1, new int[3], 1, 2));
        float[] nan = new float[3];
        nan[1] = Float.NaN;
        assertThrows(IllegalArgumentException.class, () -> ExampleImage.fromRgb(0, nan, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> ExampleImage.fromNormalised(0, new float[3], 1, 1, new float[2], new float[3]));
    }
}
