package io.capxai.data;

import io.capxai.tensors.Tensors;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ClipPreprocessTest {
    private static final float[] MEAN = ClipPreprocess.CLIP_MEAN;
    private static final float[] STD = ClipPreprocess.CLIP_STD;

    private static double normalised(double v, int c) {
        return (v / 255.0 - MEAN[c]) / STD[c];
    }

    private static float at(float[] t, int h, int w, int n, int c, int y, int x) {
        return t[((n * 3 + c) * h + y) * w + x];
    }

    /** Keys' cubic convolution kernel with a = -0.75 (PyTorch's bicubic). */
    private static double keys(double x) {
        double a = -0.75;
        x = Math.abs(x);
        if (x <= 1) {
            return ((a + 2) * x - (a + 3)) * x * x + 1;
        }
        if (x < 2) {
            return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
        }
        return 0;
    }

    /** Bicubic sample of channel c at output (oy, ox), align_corners = false, borders clamped. */
    private static double bicubic(RgbImage img, int c, int outH, int outW, int oy, int ox) {
        double sy = (oy + 0.5) * img.height() / outH - 0.5;
        double sx = (ox + 0.5) * img.width() / outW - 0.5;
        int y0 = (int) Math.floor(sy);
        int x0 = (int) Math.floor(sx);
        double sum = 0;
        for (int i = -1; i <= 2; i++) {
            for (int j = -1; j <= 2; j++) {
                int yy = Math.clamp(y0 + i, 0, img.height() - 1);
                int xx = Math.clamp(x0 + j, 0, img.width() - 1);
                sum += keys(sy - (y0 + i)) * keys(sx - (x0 + j)) * img.get(yy, xx, c);
            }
        }
        return sum;
    }

    @Test
    void bicubicResizeCropAndNormaliseByHand() {
        // 2 x 3 image -> short side 4: 4 x 6, centre crop columns 1..4
        byte[] px = new byte[2 * 3 * 3];
        int[] values = {0, 255, 30, 200, 90, 10, 250, 0, 120, 60, 180, 5, 17, 99, 240, 128, 64, 33};
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) values[i];
        }
        RgbImage img = new RgbImage(2, 3, px);
        ClipPreprocess torchBicubic = ClipPreprocess.clip(4).withResampling(ClipPreprocess.Resampling.TORCH_BICUBIC);
        float[] out = Tensors.toFloats(torchBicubic.apply(img));
        assertEquals(3 * 4 * 4, out.length);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 4; x++) {
                    double v = Math.rint(Math.clamp(bicubic(img, c, 4, 6, y, x + 1), 0, 255));
                    assertEquals(normalised(v, c), at(out, 4, 4, 0, c, y, x), 1e-5, "c" + c + " y" + y + " x" + x);
                }
            }
        }
    }

    @Test
    void constantImageGivesCLIPNormalisedConstant() {
        RgbImage img = RgbImage.black(28, 28);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                img.set(y, x, 0, 100);
                img.set(y, x, 1, 255);
            }
        }
        for (ClipPreprocess.Resampling r : ClipPreprocess.Resampling.values()) {
            Tensor t = ClipPreprocess.clip().withResampling(r).apply(img);
            assertArrayEquals(new long[] {1, 3, 224, 224}, Tensors.shape(t));
            float[] v = Tensors.toFloats(t);
            for (int c = 0; c < 3; c++) {
                double expected = normalised(c == 0 ? 100 : c == 1 ? 255 : 0, c);
                for (int i = c * 224 * 224; i < (c + 1) * 224 * 224; i += 97) {
                    assertEquals(expected, v[i], 1e-5, r.toString());
                }
            }
        }
    }

    @Test
    void centreCropWithoutResize() {
        // 10 x 20: the short side already is 10, the crop keeps columns 5..14
        RgbImage img = RgbImage.black(10, 20);
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 20; x++) {
                img.set(y, x, 0, x * 10);
                img.set(y, x, 2, y * 20);
            }
        }
        for (ClipPreprocess.Resampling r : ClipPreprocess.Resampling.values()) {
            checkCrop(Tensors.toFloats(ClipPreprocess.clip(10).withResampling(r).apply(img)));
        }
    }

    private static void checkCrop(float[] out) {
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 10; x++) {
                assertEquals(normalised((x + 5) * 10, 0), at(out, 10, 10, 0, 0, y, x), 1e-5);
                assertEquals(normalised(y * 20, 2), at(out, 10, 10, 0, 2, y, x), 1e-5);
            }
        }
    }

    @Test
    void mixedSizesAndResolutionOption() {
        for (ClipPreprocess.Resampling r : ClipPreprocess.Resampling.values()) {
            Tensor t = ClipPreprocess.clip(64).withResampling(r).apply(List.of(RgbImage.black(30, 40),
                    RgbImage.black(50, 20), RgbImage.black(64, 64)));
            assertArrayEquals(new long[] {3, 3, 64, 64}, Tensors.shape(t));
            assertEquals(normalised(0, 1), Tensors.toFloats(t)[(1 * 3 + 1) * 64 * 64 + 5], 1e-5); // image 1, green
        }
        assertThrows(IllegalArgumentException.class, () -> ClipPreprocess.clip().apply(RgbImage.black(1, 200)));
        assertThrows(IllegalArgumentException.class, () -> ClipPreprocess.clip(0));
        assertThrows(IllegalArgumentException.class, () -> ClipPreprocess.clip().apply(List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new ClipPreprocess(224, new float[] {0, 0, 0}, new float[] {1, 0, 1}));
        assertThrows(IllegalArgumentException.class, () -> new RgbImage(2, 2, new byte[11]));
    }

    @Test
    void coloredMnistBatches() {
        ColoredMnist.Splits s = ColoredMnist.build(Mnist.load(), ColoredMnist.Config.paper().withSizes(5, 2, 2));
        Batches batches = Batches.inOrder(s.train(), ClipPreprocess.clip(), 4);
        assertEquals(3, batches.count());
        int seen = 0;
        for (Batch b : batches) {
            assertArrayEquals(new long[] {b.size(), 3, 224, 224}, Tensors.shape(b.images()));
            for (int k = 0; k < b.size(); k++) {
                assertEquals(s.train().label(b.indices()[k]), b.labels()[k]);
            }
            seen += b.size();
        }
        assertEquals(10, seen);
        // a red 5: the blue channel is black everywhere after preprocessing
        int red = 0;
        while (s.train().colour(red) != DigitColour.RED) {
            red++;
        }
        Batch one = Batches.batchOf(s.train(), ClipPreprocess.clip(), new int[] {red});
        float[] v = Tensors.toFloats(one.images());
        for (int i = 2 * 224 * 224; i < 3 * 224 * 224; i++) {
            assertEquals(normalised(0, 2), v[i], 1e-5);
        }
        Batches shuffled = Batches.shuffled(s.train(), ClipPreprocess.clip(8), 3, 1L, true);
        assertEquals(3, shuffled.count());
        assertArrayEquals(shuffled.get(0).indices(),
                Batches.shuffled(s.train(), ClipPreprocess.clip(8), 3, 1L, true).get(0).indices());
    }
}
