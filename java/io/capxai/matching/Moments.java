package io.capxai.matching;

import io.capxai.kernels.ChannelMoments;

import java.io.Serializable;

/**
 * Per-channel (count, mean, M2) of one tap on the heap: the plain-data form of
 * {@link ChannelMoments} that partials carry between machines. {@link #merge} is Chan's formula,
 * so the moments of disjoint image sets combine into exactly the moments of their union.
 */
public record Moments(double[] count, double[] mean, double[] m2) implements Serializable {
    public Moments {
        if (count.length != mean.length || count.length != m2.length) {
            throw new IllegalArgumentException("moments need one length, got count " + count.length + ", mean "
                    + mean.length + ", m2 " + m2.length);
        }
    }

    public static Moments of(ChannelMoments device) {
        double[][] a = device.toArrays();
        return new Moments(a[0], a[1], a[2]);
    }

    public int channels() {
        return count.length;
    }

    /** The moments of both image sets (neither input changes). */
    public Moments merge(Moments other) {
        if (other.channels() != channels()) {
            throw new IllegalArgumentException("cannot merge moments of " + channels() + " and " + other.channels() + " channels");
        }
        Moments out = new Moments(count.clone(), mean.clone(), m2.clone());
        for (int k = 0; k < channels(); k++) {
            MomentsMerge.merge(out.count, out.mean, out.m2, k, other.count[k], other.mean[k], other.m2[k]);
        }
        return out;
    }

    public double[] std() {
        return MomentsMerge.std(count, m2);
    }
}
