package io.capxai.kernels;

import io.capxai.tensors.Tensors;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Streaming per-channel statistics of activation maps (docs/method.md#channel-statistics): count, mean and M2 (sum
 * of squared deviations) per channel, float64 tensors on the backend's device. Feed batches
 * with {@link #update(Tensor)}; combine partial results (other GPUs, other workers) with
 * {@link #merge(ChannelMoments)}: the result equals one pass over all the data (Chan et al.).
 */
public final class ChannelMoments {
    private final KernelBackend backend;
    private final Tensor count;
    private final Tensor mean;
    private final Tensor m2;

    /** Empty accumulators for {@code channels} channels on {@code backend}. */
    public ChannelMoments(KernelBackend backend, long channels) {
        if (channels <= 0) {
            throw new IllegalArgumentException("ChannelMoments: channels: expected > 0, got " + channels);
        }
        this.backend = backend;
        this.count = backend.zeros(true, channels);
        this.mean = backend.zeros(true, channels);
        this.m2 = backend.zeros(true, channels);
    }

    /**
     * Accumulators restored from plain arrays (e.g. after a reduction on the heap or a checkpoint).
     */
    public static ChannelMoments of(KernelBackend backend, double[] count, double[] mean, double[] m2) {
        if (count.length != mean.length || count.length != m2.length) {
            throw new IllegalArgumentException("ChannelMoments.of: count, mean and m2 must have one length, got "
                    + count.length + ", " + mean.length + ", " + m2.length);
        }
        ChannelMoments m = new ChannelMoments(backend, count.length);
        m.count.copy_(Tensors.fromDoubles(count, count.length));
        m.mean.copy_(Tensors.fromDoubles(mean, mean.length));
        m.m2.copy_(Tensors.fromDoubles(m2, m2.length));
        return m;
    }

    public long channels() {
        return count.size(0);
    }

    /** Adds a batch x [n, c, h, w] (or [n, c, hw]), float32 on the backend's device. Rejects NaN/Inf. */
    public ChannelMoments update(Tensor x) {
        backend.momentsUpdate(x, count, mean, m2);
        return this;
    }

    /** Adds everything {@code other} has seen; {@code other} is unchanged. */
    public ChannelMoments merge(ChannelMoments other) {
        if (other.channels() != channels()) {
            throw new IllegalArgumentException("ChannelMoments.merge: other: expected " + channels()
                    + " channels, got " + other.channels());
        }
        backend.momentsMerge(count, mean, m2, other.count, other.mean, other.m2);
        return this;
    }

    /** Values seen per channel (float64 [c], a copy). */
    public Tensor count() {
        return count.clone();
    }

    /** Per-channel mean (float64 [c], a copy). */
    public Tensor mean() {
        return mean.clone();
    }

    /** Per-channel sum of squared deviations from the mean (float64 [c], a copy). */
    public Tensor m2() {
        return m2.clone();
    }

    /** Population variance M2 / count ("over all positions", docs/method.md#channel-statistics); NaN for an empty channel. */
    public Tensor variance() {
        return torch.div(m2, count);
    }

    /** Population standard deviation sqrt(M2 / count). */
    public Tensor std() {
        return torch.sqrt(variance());
    }

    /** The accumulators as arrays {count, mean, m2}, e.g. for a reduction off the device. */
    public double[][] toArrays() {
        return new double[][] {Tensors.toDoubles(count), Tensors.toDoubles(mean), Tensors.toDoubles(m2)};
    }
}
