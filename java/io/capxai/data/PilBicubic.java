package io.capxai.data;

/**
 * Pillow's bicubic resize ({@code Image.resize(size, Image.BICUBIC)}), bit-exact for 8-bit RGB:
 * the cubic kernel with a = -0.5, stretched by the scale factor when shrinking (antialiasing),
 * weights normalised and turned into 22-bit fixed point, a horizontal pass then a vertical pass,
 * each rounded and clipped to 0..255. This is what OpenAI's CLIP preprocessing runs
 * (torchvision's Resize on a PIL image), ported from Pillow's {@code libImaging/Resample.c}.
 */
final class PilBicubic {
    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final double SUPPORT = 2.0;

    private PilBicubic() {}

    /** One output pixel's input window and fixed-point weights. */
    private record Coefficients(int[] start, int[] count, int[][] weights) {}

    static RgbImage resize(RgbImage in, int outH, int outW) {
        if (outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException("resize to " + outH + "x" + outW);
        }
        RgbImage img = in;
        if (outW != in.width()) {
            img = horizontal(img, coefficients(in.width(), outW));
        }
        if (outH != in.height()) {
            img = vertical(img, coefficients(in.height(), outH));
        }
        return img;
    }

    private static double cubic(double x) {
        double a = -0.5;
        x = Math.abs(x);
        if (x < 1.0) {
            return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        }
        if (x < 2.0) {
            return (((x - 5) * x + 8) * x - 4) * a;
        }
        return 0.0;
    }

    /** Pillow's {@code precompute_coeffs} + {@code normalize_coeffs_8bpc}. */
    private static Coefficients coefficients(int inSize, int outSize) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = SUPPORT * filterScale;
        int[] start = new int[outSize];
        int[] count = new int[outSize];
        int[][] weights = new int[outSize][];
        for (int xx = 0; xx < outSize; xx++) {
            double center = (xx + 0.5) * scale;
            double ss = 1.0 / filterScale;
            int xmin = Math.max(0, (int) (center - support + 0.5));
            int xmax = Math.min(inSize, (int) (center + support + 0.5)) - xmin;
            double[] k = new double[xmax];
            double ww = 0.0;
            for (int x = 0; x < xmax; x++) {
                k[x] = cubic((x + xmin - center + 0.5) * ss);
                ww += k[x];
            }
            int[] fixed = new int[xmax];
            for (int x = 0; x < xmax; x++) {
                double w = ww != 0.0 ? k[x] / ww : k[x];
                fixed[x] = (int) (w < 0 ? -0.5 + w * (1 << PRECISION_BITS) : 0.5 + w * (1 << PRECISION_BITS));
            }
            start[xx] = xmin;
            count[xx] = xmax;
            weights[xx] = fixed;
        }
        return new Coefficients(start, count, weights);
    }

    private static int clip8(long v) {
        if (v >= (1L << PRECISION_BITS << 8)) {
            return 255;
        }
        if (v <= 0) {
            return 0;
        }
        return (int) (v >> PRECISION_BITS);
    }

    private static RgbImage horizontal(RgbImage in, Coefficients co) {
        int h = in.height();
        int outW = co.start().length;
        byte[] src = in.pixels();
        byte[] dst = new byte[h * outW * 3];
        for (int y = 0; y < h; y++) {
            int row = y * in.width();
            for (int xx = 0; xx < outW; xx++) {
                int[] k = co.weights()[xx];
                int x0 = co.start()[xx];
                for (int c = 0; c < 3; c++) {
                    long ss = 1L << (PRECISION_BITS - 1);
                    for (int x = 0; x < k.length; x++) {
                        ss += (long) (src[(row + x0 + x) * 3 + c] & 0xff) * k[x];
                    }
                    dst[(y * outW + xx) * 3 + c] = (byte) clip8(ss);
                }
            }
        }
        return new RgbImage(h, outW, dst);
    }

    private static RgbImage vertical(RgbImage in, Coefficients co) {
        int w = in.width();
        int outH = co.start().length;
        byte[] src = in.pixels();
        byte[] dst = new byte[outH * w * 3];
        int rowLen = w * 3;
        long[] acc = new long[rowLen];
        for (int yy = 0; yy < outH; yy++) {
            int[] k = co.weights()[yy];
            int y0 = co.start()[yy];
            java.util.Arrays.fill(acc, 1L << (PRECISION_BITS - 1));
            // row by row, so memory is read in order
            for (int y = 0; y < k.length; y++) {
                int base = (y0 + y) * rowLen;
                long ky = k[y];
                for (int i = 0; i < rowLen; i++) {
                    acc[i] += (src[base + i] & 0xff) * ky;
                }
            }
            for (int i = 0; i < rowLen; i++) {
                dst[yy * rowLen + i] = (byte) clip8(acc[i]);
            }
        }
        return new RgbImage(outH, w, dst);
    }
}
