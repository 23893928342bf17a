package io.capxai.matching;

import io.capxai.kernels.Backends;
import io.capxai.kernels.ChannelMoments;
import io.capxai.kernels.KernelBackend;
import io.capxai.tensors.Tensors;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import java.util.ArrayList;
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
 * Activations never leave the device; the sums reach the JVM heap once, as a {@link MatchPartial}
 * (plain data that merges exactly with other shards' partials), and scores follow from it.
 * The kernels are those of the activations' device (the first batch's), so a CPU tensor never
 * reaches a CUDA kernel.
 */
public final class FusedMatcher {
    private final Backends backends;

    /** Kernels chosen by the activations' device. */
    public FusedMatcher(Backends backends) {
        this.backends = backends;
    }

    /** {@code preferred} serves activations on its own device; activations elsewhere get their device's kernels. */
    public FusedMatcher(KernelBackend preferred) {
        this(Backends.preferring(preferred));
    }

    /** Scores and statistics of every image of {@code source}: {@link MatchPartial#finish()} of its one partial. */
    public MatchResult match(ActivationSource source) {
        Pass pass = new Pass();
        source.forEachBatch(pass::accept);
        MatchResult result = pass.partial().finish();
        Map<String, Double> profile = pass.timer.seconds();
        profile.putAll(result.profile());
        return new MatchResult(result.scores(), result.standalone(), result.clip(), profile);
    }

    /** The accumulators of the images of {@code source} (one shard of a split, or all of it), to merge or finish. */
    public MatchPartial partial(ActivationSource source) {
        Pass pass = new Pass();
        source.forEachBatch(pass::accept);
        return pass.partial();
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
        KernelBackend kernels; // of the activations' device, set by the first batch

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
            kernels = backends.forTensor(standalone.get(rows.getFirst().name()));
            rows.forEach(r -> moments.put("s:" + r.name(), new TapMoments(kernels, r.channels())));
            cols.forEach(c -> moments.put("c:" + c.name(), new TapMoments(kernels, c.channels())));
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

        MatchPartial partial() {
            if (rows == null) {
                throw new IllegalArgumentException("the statistics dataset produced no batch");
            }
            List<Moments> rowMoments = rows.stream().map(r -> Moments.of(moments.get("s:" + r.name()).moments)).toList();
            List<Moments> colMoments = cols.stream().map(c -> Moments.of(moments.get("c:" + c.name()).moments)).toList();
            List<CrossMoments> pairs = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                for (int j = 0; j < cols.size(); j++) {
                    pairs.add(crossMoments(rows.get(i), rowMoments.get(i), cols.get(j), colMoments.get(j)));
                }
            }
            return new MatchPartial(Map.of(), List.of(ImageShard.ALL), images, rows, cols, rowMoments, colMoments, pairs);
        }

        /**
         * The pair's sums in the form {@link CrossMoments} defines: the smaller side's sum is the
         * weighted sum S (w = Ut(1)); the larger (or equal) side's is plain, N*HW*(mean - K).
         */
        private CrossMoments crossMoments(TapBlock r, Moments mr, TapBlock c, Moments mc) {
            int order = order(r, c);
            TapBlock large = order < 0 ? c : r;
            double area = (double) large.height() * large.width();
            double[] shiftR = Tensors.toDoubles(moments.get("s:" + r.name()).shift.to(ScalarType.Double));
            double[] shiftC = Tensors.toDoubles(moments.get("c:" + c.name()).shift.to(ScalarType.Double));
            double[] rowSum = order < 0
                    ? Tensors.toDoubles(weighted.get("s:" + r.name() + "|" + c.height() + "|" + c.width()))
                    : plainSum(mr, shiftR, images * area);
            double[] colSum = order > 0
                    ? Tensors.toDoubles(weighted.get("c:" + c.name() + "|" + r.height() + "|" + r.width()))
                    : plainSum(mc, shiftC, images * area);
            double[] x = Tensors.toDoubles(cross.get(r.name() + "|" + c.name()));
            return new CrossMoments(r.name(), c.name(), 0, r.channels(), c.channels(), images, area, shiftR, shiftC, x, rowSum, colSum);
        }

        private static double[] plainSum(Moments m, double[] shift, double positions) {
            double[] out = new double[shift.length];
            for (int k = 0; k < out.length; k++) {
                out[k] = positions * (m.mean()[k] - shift[k]);
            }
            return out;
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
    private static final class TapMoments {
        final ChannelMoments moments;
        Tensor shift;

        TapMoments(KernelBackend kernels, long channels) {
            moments = kernels.newMoments(channels);
        }

        void update(Tensor x) {
            moments.update(x);
            if (shift == null) { // K = the first batch's mean: fixed from then on
                shift = moments.mean().to(ScalarType.Float).contiguous();
            }
        }
    }
}
