package io.capxai.kernels;

/**
 * Plain float64 Java versions of every kernel, written for obviousness, not speed: the
 * tests and {@code capxai kernels selftest} compare the native kernels against them.
 *
 * <p>Arrays are row-major like the tensors: x[n][c][h][w] is x[((i * c + k) * h + y) * w + x].
 * A resize is the linear map out = U x with U[(oy, ox), (iy, ix)] = Wh[oy][iy] * Ww[ox][ix],
 * where Wh and Ww are PyTorch's 1-D interpolation matrices ({@link #interpolationMatrix});
 * the adjoint is computed literally as U-transpose times x.
 */
public final class ReferenceKernels {
    private ReferenceKernels() {}

    /** Per-channel count, mean and M2 (sum of squared deviations from the mean). */
    public record Moments(double[] count, double[] mean, double[] m2) {}

    /** Moments of x [n, c, hw], two passes (mean first, then squared deviations). */
    public static Moments moments(double[] x, int n, int c, int hw) {
        double[] count = new double[c];
        double[] mean = new double[c];
        double[] m2 = new double[c];
        for (int k = 0; k < c; k++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < hw; p++) {
                    sum += x[(i * c + k) * hw + p];
                }
            }
            count[k] = (double) n * hw;
            mean[k] = sum / count[k];
            double squares = 0;
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < hw; p++) {
                    double d = x[(i * c + k) * hw + p] - mean[k];
                    squares += d * d;
                }
            }
            m2[k] = squares;
        }
        return new Moments(count, mean, m2);
    }

    /** Chan et al.'s merge of two sets of moments: the moments of the union of their data. */
    public static Moments merge(Moments a, Moments b) {
        int c = a.count().length;
        double[] count = new double[c];
        double[] mean = new double[c];
        double[] m2 = new double[c];
        for (int k = 0; k < c; k++) {
            double na = a.count()[k];
            double nb = b.count()[k];
            count[k] = na + nb;
            if (count[k] == 0) {
                continue;
            }
            double delta = b.mean()[k] - a.mean()[k];
            mean[k] = a.mean()[k] + delta * nb / count[k];
            m2[k] = a.m2()[k] + b.m2()[k] + delta * delta * na * nb / count[k];
        }
        return new Moments(count, mean, m2);
    }

    /**
     * PyTorch's 1-D interpolation matrix W [out][in] (align_corners = false, no antialias):
     * output sample o reads source coordinate (o + 0.5) * in / out - 0.5.
     * Bilinear clamps that coordinate at 0; bicubic uses A = -0.75 and clamps the four taps
     * to the border (upsample_bicubic2d).
     */
    public static double[][] interpolationMatrix(int in, int out, ResizeMode mode) {
        double[][] weights = new double[out][in];
        double scale = (double) in / out;
        for (int o = 0; o < out; o++) {
            double src = (o + 0.5) * scale - 0.5;
            if (mode == ResizeMode.BILINEAR) {
                src = Math.max(src, 0);
                int i0 = (int) Math.floor(src);
                int i1 = Math.min(i0 + 1, in - 1);
                double t = src - i0;
                weights[o][i0] += 1 - t;
                weights[o][i1] += t;
            } else {
                int i = (int) Math.floor(src);
                double t = src - i;
                double[] taps = {cubicFar(t + 1), cubicNear(t), cubicNear(1 - t), cubicFar(2 - t)};
                for (int j = 0; j < 4; j++) {
                    int idx = Math.clamp(i - 1 + j, 0, in - 1);
                    weights[o][idx] += taps[j];
                }
            }
        }
        return weights;
    }

    private static final double A = -0.75;

    /** Keys' cubic convolution for |x| <= 1. */
    private static double cubicNear(double x) {
        return ((A + 2) * x - (A + 3)) * x * x + 1;
    }

    /** Keys' cubic convolution for 1 < |x| < 2. */
    private static double cubicFar(double x) {
        return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
    }

    /** out [n, c, oh, ow] = U x for x [n, c, ih, iw]. */
    public static double[] resize(double[] x, int n, int c, int ih, int iw, int oh, int ow, ResizeMode mode) {
        double[][] wh = interpolationMatrix(ih, oh, mode);
        double[][] ww = interpolationMatrix(iw, ow, mode);
        double[] out = new double[n * c * oh * ow];
        for (int plane = 0; plane < n * c; plane++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    double sum = 0;
                    for (int iy = 0; iy < ih; iy++) {
                        for (int ix = 0; ix < iw; ix++) {
                            sum += wh[oy][iy] * ww[ox][ix] * x[(plane * ih + iy) * iw + ix];
                        }
                    }
                    out[(plane * oh + oy) * ow + ox] = sum;
                }
            }
        }
        return out;
    }

    /**
     * out [n, c, sh, sw] = U^T (x - shift) for x [n, c, mh, mw], U the bilinear upsampling
     * sh x sw -> mh x mw: out[q] = sum over p of U[p][q] * (x[p] - shift[k]). shift may be null.
     */
    public static double[] resizeAdjoint(double[] x, int n, int c, int mh, int mw, double[] shift, int sh, int sw) {
        double[][] wh = interpolationMatrix(sh, mh, ResizeMode.BILINEAR);
        double[][] ww = interpolationMatrix(sw, mw, ResizeMode.BILINEAR);
        double[] out = new double[n * c * sh * sw];
        for (int plane = 0; plane < n * c; plane++) {
            double s = shift == null ? 0 : shift[plane % c];
            for (int qy = 0; qy < sh; qy++) {
                for (int qx = 0; qx < sw; qx++) {
                    double sum = 0;
                    for (int py = 0; py < mh; py++) {
                        for (int px = 0; px < mw; px++) {
                            double u = wh[py][qy] * ww[px][qx];   // U[p][q]: row p, column q
                            sum += u * (x[(plane * mh + py) * mw + px] - s);
                        }
                    }
                    out[(plane * sh + qy) * sw + qx] = sum;
                }
            }
        }
        return out;
    }

    /** acc[k] = sum over images and positions of (x - shift[k]) * w[q]; shift and w may be null. */
    public static double[] weightedSum(double[] x, int n, int c, int hw, double[] shift, double[] w) {
        double[] acc = new double[c];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < c; k++) {
                double s = shift == null ? 0 : shift[k];
                for (int q = 0; q < hw; q++) {
                    acc[k] += (x[(i * c + k) * hw + q] - s) * (w == null ? 1 : w[q]);
                }
            }
        }
        return acc;
    }

    /** X [ca, cb] = sum over images t and positions p of (a[t, i, p] - shiftA[i]) (b[t, j, p] - shiftB[j]). */
    public static double[] crossMoment(double[] a, double[] shiftA, int ca, double[] b, double[] shiftB, int cb,
                                       int n, int hw) {
        double[] x = new double[ca * cb];
        for (int i = 0; i < ca; i++) {
            double sa = shiftA == null ? 0 : shiftA[i];
            for (int j = 0; j < cb; j++) {
                double sb = shiftB == null ? 0 : shiftB[j];
                double sum = 0;
                for (int t = 0; t < n; t++) {
                    for (int p = 0; p < hw; p++) {
                        sum += (a[(t * ca + i) * hw + p] - sa) * (b[(t * cb + j) * hw + p] - sb);
                    }
                }
                x[i * cb + j] = sum;
            }
        }
        return x;
    }

    /**
     * docs/method.md#surgery on a copy of dst: for each pair q, channel dstChannel[q] of every image becomes
     * R((src[srcChannel[q]] - srcMean) / (srcStd + eps)) * dstStd + dstMean.
     */
    public static double[] surgeryApply(double[] src, int n, int cs, int sh, int sw,
                                        double[] srcMean, double[] srcStd,
                                        double[] dst, int cd, int dh, int dw,
                                        double[] dstMean, double[] dstStd,
                                        int[] dstChannel, int[] srcChannel, ResizeMode mode, double eps) {
        double[] out = dst.clone();
        for (int q = 0; q < dstChannel.length; q++) {
            int j = dstChannel[q];
            int k = srcChannel[q];
            for (int t = 0; t < n; t++) {
                double[] z = new double[sh * sw];
                for (int p = 0; p < sh * sw; p++) {
                    z[p] = (src[(t * cs + k) * sh * sw + p] - srcMean[k]) / (srcStd[k] + eps);
                }
                double[] resized = resize(z, 1, 1, sh, sw, dh, dw, mode);
                for (int p = 0; p < dh * dw; p++) {
                    out[(t * cd + j) * dh * dw + p] = resized[p] * dstStd[j] + dstMean[j];
                }
            }
        }
        return out;
    }

    /**
     * The error measure of the tests and the selftest: max |actual - expected| divided by
     * max |expected| (an elementwise ratio would blow up near zeros). NaN when they disagree
     * on NaN positions or lengths.
     */
    public static double maxRelativeError(double[] actual, double[] expected) {
        if (actual.length != expected.length) {
            return Double.NaN;
        }
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < expected.length; i++) {
            if (Double.isNaN(actual[i]) != Double.isNaN(expected[i])) {
                return Double.NaN;
            }
            if (Double.isNaN(expected[i])) {
                continue;
            }
            maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
            maxRef = Math.max(maxRef, Math.abs(expected[i]));
        }
        return maxRef == 0 ? maxDiff : maxDiff / maxRef;
    }
}
