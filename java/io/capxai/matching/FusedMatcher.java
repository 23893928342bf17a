package io.capxai.matching;

import io.capxai.kernels.ChannelMoments;
import io.capxai.kernels.KernelBackend;
import io.capxai.matching.ChannelStats;
import io.capxai.tensors.Tensors;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one-pass matcher of docs/method.md#matching-in-one-pass. Per batch and per tap it merges the channel moments;
 * per (standalone tap, CLIP tap) pair it accumulates, at the smaller resolution,
 * <pre>
 *   X   += sum a' * Ut(c')        (cross_moment; the larger map goes through the adjoint resize)
 *   S_a += sum a' * w,  w = Ut(1) (weighted_sum on the smaller side)
 * </pre>
 * where x' = x - K is the map shifted by a per-channel constant (the first batch's mean), which
 * keeps float32 products O(std) when means are large. The score then follows exactly from these
 * raw sums: with mu' = mu - K on both sides and M = N * m * m,
 * <pre>
 *   score = (X - mu_a' S_c - mu_c' S_a + M mu_a' mu_c') / (M (sigma_a + eps)(sigma_c + eps))
 *         = (X - mu_c' S_a) / (M (sigma_a + eps)(sigma_c + eps))      since S_c = M mu_c'.
 * </pre>
 * Activations never leave the device; only statistics and the final scores reach the JVM heap.
 */
public final class FusedMatcher {
    private final KernelBackend kernels;

    public FusedMatcher(KernelBackend kernels) {
        this.kernels = kernels;
    }

    public MatchResult match(ActivationSource source) {
        Pass pass = new Pass();
        source.forEachBatch(pass::accept);
        return pass.finish();
    }

    /** Accumulators of one streaming pass. */
    private final class Pass {
        List<TapBlock> rows;
        List<TapBlock> cols;
        final Map<String, TapMoments> moments = new LinkedHashMap<>();
        final Map<String, Tensor> cross = new HashMap<>();      // "row|col" -> X [Cs, Cc] float64
        final Map<String, Tensor> weighted = new HashMap<>();   // "tap|mh|mw" -> S [C] float64
        final Map<String, Tensor> weightMaps = new HashMap<>(); // "sh|sw|mh|mw" -> w [sh*sw] float32
        long images;
        final StepTimer timer = new StepTimer();

        void accept(Map<String, Tensor> standalone, Map<String, Tensor> clip) {
            if (rows == null) {
                start(standalone, clip);
            }
            long n = TapLayout.check("standalone", rows, standalone);
            if (TapLayout.check("clip", cols, clip) != n) {
                throw new IllegalArgumentException("standalone and CLIP batches differ in size");
            }
            timer.time("moments", () -> {
                for (TapBlock r : rows) {
                    moments.get("s:" + r.name()).update(standalone.get(r.name()));
                }
                for (TapBlock c : cols) {
                    moments.get("c:" + c.name()).update(clip.get(c.name()));
                }
            });
            images += n;
            // The batch's temporaries (adjoint maps) are freed on return; accumulators live outside this scope.
            try (PointerScope batchScope = new PointerScope()) {
                accumulateCrossMoments(standalone, clip);
            }
        }

        /** First batch: the layouts and every accumulator, allocated outside any per-batch scope. */
        private void start(Map<String, Tensor> standalone, Map<String, Tensor> clip) {
            rows = TapLayout.of("standalone", standalone);
            cols = TapLayout.of("clip", clip);
            rows.forEach(r -> moments.put("s:" + r.name(), new TapMoments(r.channels())));
            cols.forEach(c -> moments.put("c:" + c.name(), new TapMoments(c.channels())));
            for (TapBlock r : rows) {
                for (TapBlock c : cols) {
                    cross.put(r.name() + "|" + c.name(), kernels.zeros(true, r.channels(), c.channels()));
                    int order = order(r, c);
                    if (order != 0) {
                        TapBlock small = order < 0 ? r : c;
                        TapBlock large = order < 0 ? c : r;
                        String tap = (order < 0 ? "s:" : "c:") + small.name();
                        weighted.computeIfAbsent(tap + "|" + large.height() + "|" + large.width(),
                                k -> kernels.zeros(true, small.channels()));
                        weightMap(small, large);
                    }
                }
            }
        }

        private void accumulateCrossMoments(Map<String, Tensor> standalone, Map<String, Tensor> clip) {
            Map<String, Tensor> adjoints = new HashMap<>(); // "tap|sh|sw" -> Ut(x - K), this batch only
            Set<String> weightedThisBatch = new HashSet<>();
            for (TapBlock r : rows) {
                for (TapBlock c : cols) {
                    Tensor a = standalone.get(r.name());
                    Tensor b = clip.get(c.name());
                    Tensor shiftA = moments.get("s:" + r.name()).shift;
                    Tensor shiftB = moments.get("c:" + c.name()).shift;
                    Tensor x = cross.get(r.name() + "|" + c.name());
                    switch (order(r, c)) {
                        case 0 -> timer.time("cross_moment", () -> kernels.crossMoment(a, shiftA, b, shiftB, x));
                        case -1 -> { // the standalone map is the smaller one
                            Tensor ub = adjoint(adjoints, "c:" + c.name(), b, shiftB, r.height(), r.width());
                            timer.time("cross_moment", () -> kernels.crossMoment(a, shiftA, ub, null, x));
                            weightedSum(weightedThisBatch, "s:" + r.name(), a, shiftA, r, c);
                        }
                        default -> {
                            Tensor ua = adjoint(adjoints, "s:" + r.name(), a, shiftA, c.height(), c.width());
                            timer.time("cross_moment", () -> kernels.crossMoment(ua, null, b, shiftB, x));
                            weightedSum(weightedThisBatch, "c:" + c.name(), b, shiftB, c, r);
                        }
                    }
                }
            }
        }

        /** S += sum (x - K) * Ut(1), once per batch for each (small tap, large size). */
        private void weightedSum(Set<String> doneThisBatch, String tap, Tensor x, Tensor shift, TapBlock small, TapBlock large) {
            String key = tap + "|" + large.height() + "|" + large.width();
            if (doneThisBatch.add(key)) {
                timer.time("weighted_sum", () -> kernels.weightedSum(x, shift, weightMap(small, large), weighted.get(key)));
            }
        }

        private Tensor weightMap(TapBlock small, TapBlock large) {
            String key = small.height() + "|" + small.width() + "|" + large.height() + "|" + large.width();
            return weightMaps.computeIfAbsent(key, k -> {
                Tensor ones = kernels.zeros(false, 1, 1, large.height(), large.width()).add_(new Scalar(1.0));
                return kernels.resizeAdjoint(ones, null, small.height(), small.width()).reshape(-1);
            });
        }

        private Tensor adjoint(Map<String, Tensor> cache, String tap, Tensor x, Tensor shift, long h, long w) {
            return cache.computeIfAbsent(tap + "|" + h + "|" + w,
                    k -> timer.time("resize_adjoint", () -> kernels.resizeAdjoint(x, shift, h, w)));
        }

        MatchResult finish() {
            if (rows == null) {
                throw new IllegalArgumentException("the statistics dataset produced no batch");
            }
            long t0 = System.nanoTime();
            ChannelStats statsS = stats(rows, "s:");
            ChannelStats statsC = stats(cols, "c:");
            int nCols = TapLayout.channels(cols);
            float[] values = new float[TapLayout.channels(rows) * nCols];
            for (TapBlock r : rows) {
                for (TapBlock c : cols) {
                    float[] block = Tensors.toFloats(score(r, c));
                    for (int i = 0; i < r.channels(); i++) {
                        System.arraycopy(block, i * c.channels(), values, (r.offset() + i) * nCols + c.offset(), c.channels());
                    }
                }
            }
            Map<String, Double> profile = timer.seconds();
            profile.put("scores", (System.nanoTime() - t0) / 1e9);
            return new MatchResult(new ScoreMatrix(rows, cols, values), statsS, statsC, profile);
        }

        /** The score block of one tap pair, from the raw sums (see the class comment). */
        private Tensor score(TapBlock r, TapBlock c) {
            TapMoments ms = moments.get("s:" + r.name());
            TapMoments mc = moments.get("c:" + c.name());
            int order = order(r, c);
            TapBlock large = order < 0 ? c : r;
            double m = (double) images * large.height() * large.width();
            Tensor shiftedMeanS = ms.mean().sub(ms.shift.to(ScalarType.Double));
            Tensor shiftedMeanC = mc.mean().sub(mc.shift.to(ScalarType.Double));
            Tensor correction = switch (order) {
                case 0 -> torch.outer(shiftedMeanS, shiftedMeanC).mul(new Scalar(m));
                case -1 -> torch.outer(weighted.get("s:" + r.name() + "|" + c.height() + "|" + c.width()), shiftedMeanC);
                default -> torch.outer(shiftedMeanS, weighted.get("c:" + c.name() + "|" + r.height() + "|" + r.width()));
            };
            Tensor denominator = torch.outer(ms.std().add(new Scalar(ChannelStats.EPS)), mc.std().add(new Scalar(ChannelStats.EPS)))
                    .mul(new Scalar(m));
            return cross.get(r.name() + "|" + c.name()).sub(correction).div(denominator);
        }

        private ChannelStats stats(List<TapBlock> layout, String prefix) {
            int channels = TapLayout.channels(layout);
            double[] mean = new double[channels];
            double[] std = new double[channels];
            for (TapBlock b : layout) {
                TapMoments tm = moments.get(prefix + b.name());
                System.arraycopy(Tensors.toDoubles(tm.mean()), 0, mean, b.offset(), b.channels());
                System.arraycopy(Tensors.toDoubles(tm.std()), 0, std, b.offset(), b.channels());
            }
            return new ChannelStats(layout, mean, std, images);
        }
    }

    /** 0 when both maps have the same size, -1 when the standalone map is smaller, 1 when larger. */
    private static int order(TapBlock standalone, TapBlock clip) {
        int h = Integer.compare(standalone.height(), clip.height());
        int w = Integer.compare(standalone.width(), clip.width());
        if (h * w < 0) {
            throw new IllegalArgumentException("tap " + standalone.name() + " (" + standalone.height() + "x" + standalone.width()
                    + ") and " + clip.name() + " (" + clip.height() + "x" + clip.width()
                    + ") are not ordered by size in both dimensions: no map contains the other's resolution");
        }
        return h != 0 ? h : w;
    }

    /** The moments of one tap on the device, and its shift K (the first batch's mean, float32). */
    private final class TapMoments {
        final ChannelMoments moments;
        Tensor shift;

        TapMoments(long channels) {
            moments = kernels.newMoments(channels);
        }

        void update(Tensor x) {
            moments.update(x);
            if (shift == null) { // K = the first batch's mean: fixed from then on
                shift = moments.mean().to(ScalarType.Float).contiguous();
            }
        }

        Tensor mean() {
            return moments.mean();
        }

        Tensor std() {
            return moments.std();
        }
    }
}
