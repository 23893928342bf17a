package io.capxai.matching;


import java.util.List;

/**
 * Per-channel mean and population standard deviation over every image and position of a
 * split (docs/method.md#channel-statistics), for a list of taps whose channels are concatenated in tap order.
 */
public record ChannelStats(List<TapBlock> taps, double[] mean, double[] std, long images) {
    /** Standardisation epsilon (docs/method.md#channel-statistics): {@code z = (a - mu) / (sigma + EPS)}. */
    public static final double EPS = 1e-5;

    public ChannelStats {
        taps = List.copyOf(taps);
        int channels = taps.isEmpty() ? 0 : taps.getLast().offset() + taps.getLast().channels();
        if (mean.length != channels || std.length != channels) {
            throw new IllegalArgumentException("stats for " + channels + " channels, got " + mean.length
                    + " means and " + std.length + " stds");
        }
    }

    public TapBlock tap(String name) {
        for (TapBlock t : taps) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("no tap named '" + name + "' in " + taps.stream().map(TapBlock::name).toList());
    }
}
