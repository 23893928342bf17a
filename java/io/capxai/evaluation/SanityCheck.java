package io.capxai.evaluation;

import io.capxai.models.ClipModel;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The model-randomisation sanity check (Adebayo et al., cascading): randomise the image tower's
 * blocks one at a time from the top down and measure how much the map still resembles the original
 * (Spearman rank correlation). A method whose map does not change is not explaining the model.
 * Weights are randomised by shuffling each tensor's values (same distribution, no learned
 * structure) and restored afterwards.
 */
public final class SanityCheck {
    /** The map's rank correlation with the original after randomising blocks top..{@code block}. */
    public record Step(String block, double rankCorrelation) {}

    private SanityCheck() {}

    /** {@code explain} computes the map with whatever weights {@code clip} currently has. */
    public static List<Step> cascading(ClipModel clip, Supplier<float[]> explain, long seed) {
        float[] original = explain.get();
        Map<String, Tensor> params = clip.parameters();
        Map<String, Tensor> saved = new LinkedHashMap<>();
        List<Step> steps = new ArrayList<>();
        torch.manual_seed(seed);
        try {
            for (int b = clip.visual().blockCount() - 1; b >= 0; b--) {
                String prefix = clip.visual().blockName(b) + ".";
                try (NoGradGuard noGrad = new NoGradGuard()) {
                    for (Map.Entry<String, Tensor> e : params.entrySet()) {
                        if (e.getKey().startsWith(prefix)) {
                            Tensor p = e.getValue();
                            saved.put(e.getKey(), p.clone());
                            Tensor flat = p.flatten();
                            p.copy_(flat.index_select(0, torch.randperm(flat.size(0)).to(p.device(),
                                    torch.ScalarType.Long)).reshape(p.sizes()));
                        }
                    }
                }
                steps.add(new Step(clip.visual().blockName(b), spearman(original, explain.get())));
            }
        } finally {
            try (NoGradGuard noGrad = new NoGradGuard()) {
                saved.forEach((name, value) -> params.get(name).copy_(value));
            }
        }
        return steps;
    }

    /** Spearman rank correlation (average ranks for ties); 0 when either side is constant. */
    public static double spearman(float[] a, float[] b) {
        if (a.length != b.length || a.length < 2) {
            throw new IllegalArgumentException("need two maps of equal size, got " + a.length + " and " + b.length);
        }
        return pearson(ranks(a), ranks(b));
    }

    static double pearson(double[] a, double[] b) {
        double ma = Arrays.stream(a).average().orElse(0);
        double mb = Arrays.stream(b).average().orElse(0);
        double cov = 0;
        double va = 0;
        double vb = 0;
        for (int i = 0; i < a.length; i++) {
            cov += (a[i] - ma) * (b[i] - mb);
            va += (a[i] - ma) * (a[i] - ma);
            vb += (b[i] - mb) * (b[i] - mb);
        }
        return va == 0 || vb == 0 ? 0 : cov / Math.sqrt(va * vb);
    }

    static double[] ranks(float[] v) {
        Integer[] order = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Float.compare(v[x], v[y]));
        double[] rank = new double[v.length];
        for (int i = 0; i < v.length; ) {
            int j = i;
            while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) {
                j++;
            }
            double avg = (i + j) / 2.0;
            for (int k = i; k <= j; k++) {
                rank[order[k]] = avg;
            }
            i = j + 1;
        }
        return rank;
    }
}
