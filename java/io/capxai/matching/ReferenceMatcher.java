package io.capxai.matching;

import io.capxai.matching.ChannelStats;
import io.capxai.matching.MomentsMerge;
import io.capxai.tensors.Tensors;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The straightforward matcher, as the paper's reference code works (but with exact statistics):
 * pass 1 gathers per-channel statistics; pass 2 standardises every map, bilinearly upsamples the
 * smaller map of each pair to the larger size and takes the pooled dot products with a matmul.
 * Slow and memory-hungry by design: it is the yardstick for {@link FusedMatcher}.
 */
public final class ReferenceMatcher {
    private static final long[] CHANNEL_DIMS = {0, 2, 3};

    public MatchResult match(ActivationSource source) {
        StepTimer timer = new StepTimer();
        Moments standalone = new Moments("standalone");
        Moments clip = new Moments("clip");
        source.forEachBatch((s, c) -> timer.time("statistics pass", () -> {
            try (PointerScope scope = new PointerScope()) {
                standalone.add(s);
                clip.add(c);
            }
            if (standalone.images != clip.images) {
                throw new IllegalArgumentException("standalone and CLIP batches differ in size");
            }
        }));
        ChannelStats statsS = standalone.stats();
        ChannelStats statsC = clip.stats();

        List<TapBlock> rows = statsS.taps();
        List<TapBlock> cols = statsC.taps();
        Map<String, Tensor> sums = new HashMap<>(); // float64 [Cs, Cc] per tap pair, made outside the batch scopes
        for (TapBlock r : rows) {
            for (TapBlock k : cols) {
                sums.put(r.name() + "|" + k.name(), torch.zeros(new long[] {r.channels(), k.channels()},
                        Tensors.options(ScalarType.Double)));
            }
        }
        source.forEachBatch((s, c) -> timer.time("matching pass", () -> {
            TapLayout.check("standalone", rows, s);
            TapLayout.check("clip", cols, c);
            try (PointerScope scope = new PointerScope()) {
                Map<String, Tensor> zs = standardise(s, statsS);
                Map<String, Tensor> zc = standardise(c, statsC);
                for (TapBlock r : rows) {
                    for (TapBlock k : cols) {
                        try (PointerScope pair = new PointerScope()) {
                            Tensor a = upsampleTo(zs.get(r.name()), k.height(), k.width());
                            Tensor b = upsampleTo(zc.get(k.name()), r.height(), r.width());
                            Tensor product = torch.mm(flattenChannels(a), flattenChannels(b).t());
                            sums.get(r.name() + "|" + k.name()).add_(product.to(ScalarType.Double));
                        }
                    }
                }
            }
        }));

        int nCols = TapLayout.channels(cols);
        float[] values = new float[TapLayout.channels(rows) * nCols];
        for (TapBlock r : rows) {
            for (TapBlock k : cols) {
                long m = (long) Math.max(r.height(), k.height()) * Math.max(r.width(), k.width());
                float[] block = Tensors.toFloats(sums.get(r.name() + "|" + k.name()).div(
                        new org.bytedeco.pytorch.Scalar((double) statsS.images() * m)));
                for (int i = 0; i < r.channels(); i++) {
                    System.arraycopy(block, i * k.channels(), values, (r.offset() + i) * nCols + k.offset(), k.channels());
                }
            }
        }
        return new MatchResult(new ScoreMatrix(rows, cols, values), statsS, statsC, timer.seconds());
    }

    /** Upsamples x [N, C, h, w] to [N, C, H, W] when it is smaller (bilinear, align_corners = false). */
    static Tensor upsampleTo(Tensor x, int height, int width) {
        if (x.size(2) >= height && x.size(3) >= width) {
            return x;
        }
        return torch.upsample_bilinear2d(x, new long[] {height, width}, false);
    }

    /** [N, C, H, W] -> [C, N*H*W], the layout in which pooled dot products are one matmul. */
    private static Tensor flattenChannels(Tensor x) {
        return x.permute(1, 0, 2, 3).reshape(x.size(1), -1);
    }

    private static Map<String, Tensor> standardise(Map<String, Tensor> taps, ChannelStats stats) {
        Map<String, Tensor> out = new HashMap<>();
        for (TapBlock b : stats.taps()) {
            float[] mean = new float[b.channels()];
            float[] scale = new float[b.channels()];
            for (int i = 0; i < b.channels(); i++) {
                mean[i] = (float) stats.mean()[b.offset() + i];
                scale[i] = (float) (1.0 / (stats.std()[b.offset() + i] + ChannelStats.EPS));
            }
            Tensor x = taps.get(b.name());
            Tensor mu = Tensors.fromFloats(mean, 1, b.channels(), 1, 1).to(x.device(), ScalarType.Float);
            Tensor inv = Tensors.fromFloats(scale, 1, b.channels(), 1, 1).to(x.device(), ScalarType.Float);
            out.put(b.name(), x.sub(mu).mul(inv));
        }
        return out;
    }

    /** Exact per-channel moments of one model's taps, merged batch by batch in float64. */
    private static final class Moments {
        final String model;
        List<TapBlock> layout;
        double[] count;
        double[] mean;
        double[] m2;
        long images;

        Moments(String model) {
            this.model = model;
        }

        void add(Map<String, Tensor> taps) {
            if (layout == null) {
                layout = TapLayout.of(model, taps);
                int n = TapLayout.channels(layout);
                count = new double[n];
                mean = new double[n];
                m2 = new double[n];
            }
            images += TapLayout.check(model, layout, taps);
            for (TapBlock b : layout) {
                Tensor x = taps.get(b.name()).to(ScalarType.Double);
                Tensor batchMean = x.mean(CHANNEL_DIMS, true, new ScalarTypeOptional());
                Tensor batchM2 = x.sub(batchMean).square().sum(CHANNEL_DIMS, false, new ScalarTypeOptional());
                double[] bm = Tensors.toDoubles(batchMean);
                double[] b2 = Tensors.toDoubles(batchM2);
                double nb = (double) x.size(0) * x.size(2) * x.size(3);
                for (int i = 0; i < b.channels(); i++) {
                    MomentsMerge.merge(count, mean, m2, b.offset() + i, nb, bm[i], b2[i]);
                }
            }
        }

        ChannelStats stats() {
            if (layout == null) {
                throw new IllegalArgumentException(model + ": the statistics dataset produced no batch");
            }
            return new ChannelStats(layout, mean.clone(), MomentsMerge.std(count, m2), images);
        }
    }
}
