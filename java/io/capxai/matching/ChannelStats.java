package io.capxai.matching;


import java.util.List;

/**
 * Per-channel mean and population standard deviation over every image and position of a
 * split (docs/method.md#channel-statistics), for a list of taps whose channels are concatenated in tap order.
 */
public record ChannelStats(List<TapBlock> taps, double[] mean, double[] std, long images) implements java.io.Serializable {
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

    /** Statistics of taps from their moments (one {@link Moments} per tap, in layout order). */
    public static ChannelStats of(List<TapBlock> layout, List<Moments> moments, long images) {
        if (moments.size() != layout.size()) {
            throw new IllegalArgumentException(layout.size() + " taps but " + moments.size() + " moments");
        }
        int channels = layout.isEmpty() ? 0 : layout.getLast().offset() + layout.getLast().channels();
        double[] mean = new double[channels];
        double[] std = new double[channels];
        for (int t = 0; t < layout.size(); t++) {
            Moments m = moments.get(t);
            System.arraycopy(m.mean(), 0, mean, layout.get(t).offset(), m.channels());
            System.arraycopy(m.std(), 0, std, layout.get(t).offset(), m.channels());
        }
        return new ChannelStats(layout, mean, std, images);
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
