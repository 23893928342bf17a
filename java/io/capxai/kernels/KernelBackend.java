package io.capxai.kernels;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

/**
 * The kernels of capxai_kernels.h on one device, taking libtorch tensors.
 *
 * <p>Every method validates its arguments before the native call and throws
 * {@link IllegalArgumentException} naming the argument, the expected and the actual value:
 * float32 data, float64 accumulators, int32 indices, all contiguous and on {@link #device()}.
 * A status other than OK from the library becomes a {@link KernelException}. Tensors are
 * passed zero-copy: outputs and accumulators are written in place. Optional arguments
 * ({@code shift}, {@code w}) may be null. Shapes: "[n, c, hw]" also accepts [n, c, h, w].
 *
 * <p>Get one from {@link Kernels#cpu()}, {@link Kernels#cuda()} or {@link Kernels#best()}.
 */
public interface KernelBackend {
    /** "cpu" or "cuda". */
    String name();

    /** Where this backend's tensors must live. */
    Device device();

    /** A new zero-filled tensor of {@code shape} on {@link #device()}: float64 when {@code float64}, else float32. */
    Tensor zeros(boolean float64, long... shape);

    /** A new set of per-channel moment accumulators on this backend. */
    default ChannelMoments newMoments(long channels) {
        return new ChannelMoments(this, channels);
    }

    /** Merges the values of x [n, c, hw] into count/mean/m2 [c] (float64). Rejects NaN/Inf (KernelException). */
    void momentsUpdate(Tensor x, Tensor count, Tensor mean, Tensor m2);

    /** Merges accumulator set b into set a (all float64 [c]); b is unchanged. */
    void momentsMerge(Tensor countA, Tensor meanA, Tensor m2A, Tensor countB, Tensor meanB, Tensor m2B);

    /** out [n, c, sh, sw] = Ut(x - shift): adjoint of bilinear upsampling to x [n, c, mh, mw]'s size. */
    void resizeAdjoint(Tensor x, Tensor shift, Tensor out);

    /** {@link #resizeAdjoint(Tensor, Tensor, Tensor)} into a new tensor of spatial size sh x sw. */
    default Tensor resizeAdjoint(Tensor x, Tensor shift, long sh, long sw) {
        Checks.rank("resizeAdjoint", "x", x, 4);
        Tensor out = zeros(false, x.size(0), x.size(1), sh, sw);
        resizeAdjoint(x, shift, out);
        return out;
    }

    /**
     * The weight map w = Ut(1) [sh, sw] of docs/method.md#matching-in-one-pass (float32): how much of the large mh x mw
     * grid each small position feeds under bilinear upsampling; it sums to mh * mw.
     */
    default Tensor weightMap(long sh, long sw, long mh, long mw) {
        Tensor ones = zeros(false, 1, 1, mh, mw).add(new Scalar(1.0));
        return resizeAdjoint(ones, null, sh, sw).view(sh, sw);
    }

    /** out [n, c, oh, ow] = R(x [n, c, ih, iw]), as torch.nn.functional.interpolate(align_corners=False). */
    void resize(Tensor x, Tensor out, ResizeMode mode);

    /** {@link #resize(Tensor, Tensor, ResizeMode)} into a new tensor of spatial size oh x ow. */
    default Tensor resize(Tensor x, long oh, long ow, ResizeMode mode) {
        Checks.rank("resize", "x", x, 4);
        Tensor out = zeros(false, x.size(0), x.size(1), oh, ow);
        resize(x, out, mode);
        return out;
    }

    /** acc [c] (float64) += sum over images and positions of (x - shift[k]) * w[q]; x [n, c, hw], w [hw]. */
    void weightedSum(Tensor x, Tensor shift, Tensor w, Tensor acc);

    /** out [ca, cb] (float64) += sum over images and positions of (a - shiftA) (b - shiftB); a [n, ca, hw], b [n, cb, hw]. */
    void crossMoment(Tensor a, Tensor shiftA, Tensor b, Tensor shiftB, Tensor out);

    /**
     * docs/method.md#surgery in place: for each pair q, dst[:, dstChannel[q]] =
     * R((src[:, srcChannel[q]] - srcMean) / (srcStd + eps)) * dstStd + dstMean.
     * src [n, cs, sh, sw], dst [n, cd, dh, dw], means/stds float32, channel lists int32 [pairs];
     * each dst channel at most once.
     */
    void surgeryApply(Tensor src, Tensor srcMean, Tensor srcStd,
                      Tensor dst, Tensor dstMean, Tensor dstStd,
                      Tensor dstChannel, Tensor srcChannel, ResizeMode mode, float eps);
}
