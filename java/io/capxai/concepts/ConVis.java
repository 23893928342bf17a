package io.capxai.concepts;

import io.capxai.progress.ProgressListener;
import io.capxai.tensors.Tensors;
import io.capxai.wordnet.Concept;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiConsumer;

/**
 * ConVis (Giulivi and Boracchi 2024; docs/method.md#convis): where in an image does the CLIP embedding see a
 * WordNet concept? No gradients: boxes of the image are encoded alone, every synset of T is ranked
 * against each box's embedding, and a concept's score at a box is the best rank over its subtree.
 *
 * <p>{@link #sweep} encodes every box once and keeps all ranks, so further concepts cost only a
 * max over a subtree; {@link #gridMap} does the same for one concept without keeping them;
 * {@link #stochasticMap} samples boxes where the map is already high.
 */
public final class ConVis {
    /**
     * @param geometry   box sizes, stride and border
     * @param batchSize  boxes encoded together
     * @param seed       of the noise border (and of the stochastic sampler)
     */
    public record Options(SweepGeometry geometry, int batchSize, long seed) {
        public Options {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
            }
        }

        /** The paper's geometry scaled to {@code resolution}, 64 boxes per batch, seed 0. */
        public static Options defaults(int resolution) {
            return new Options(SweepGeometry.scaledTo(resolution), 64, 0);
        }

        public Map<String, String> describe() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("border", String.valueOf(geometry.border()));
            m.put("box_sizes", java.util.Arrays.toString(geometry.boxSizes()));
            m.put("stride", String.valueOf(geometry.stride()));
            m.put("resolution", String.valueOf(geometry.resolution()));
            m.put("noise_seed", String.valueOf(seed));
            return m;
        }
    }

    /** The stochastic variant's settings (paper: 600 iterations, eps 0.002, gamma 5, restart every 100). */
    public record Stochastic(int iterations, double eps, double gamma, int restartEvery, int boxesPerStep) {
        public static final Stochastic PAPER = new Stochastic(600, 0.002, 5, 100, 1);

        public Stochastic {
            if (iterations < 1 || restartEvery < 1 || boxesPerStep < 1 || !(eps > 0) || !(gamma >= 0)) {
                throw new IllegalArgumentException("stochastic ConVis needs iterations, restartEvery, boxesPerStep >= 1,"
                        + " eps > 0 and gamma >= 0");
            }
        }
    }

    private final ImageEncoder encoder;
    private final ConceptHierarchy hierarchy;
    private final ConceptEmbeddings embeddings;
    private final Options options;

    public ConVis(ImageEncoder encoder, ConceptHierarchy hierarchy, ConceptEmbeddings embeddings, Options options) {
        if (embeddings.size() != hierarchy.size()) {
            throw new IllegalArgumentException(embeddings.size() + " concept embeddings for a hierarchy of "
                    + hierarchy.size() + " synsets");
        }
        if (options.geometry().resolution() != encoder.resolution()) {
            throw new IllegalArgumentException("box geometry is for " + options.geometry().resolution()
                    + " px but the encoder takes " + encoder.resolution() + " px");
        }
        this.encoder = encoder;
        this.hierarchy = hierarchy;
        this.embeddings = embeddings;
        this.options = options;
    }

    /**
     * ConVis on a CLIP model: the synset embeddings come from the on-disk cache (computed on first
     * use, keyed by the model's and the hierarchy's checksums).
     */
    public static ConVis forClip(io.capxai.models.ClipModel model, io.capxai.models.text.ClipTokenizer tokenizer,
                                 ConceptHierarchy hierarchy, ConceptText text, Options options,
                                 java.nio.file.Path cacheDir, io.capxai.progress.ProgressListener progress) {
        ConceptEmbeddings embeddings = ConceptEmbeddings.cached(TextEncoder.of(model, tokenizer),
                ConceptEmbeddings.fingerprint(model), hierarchy, text, cacheDir, 256, progress);
        return new ConVis(ImageEncoder.of(model), hierarchy, embeddings, options);
    }

    public ConceptHierarchy hierarchy() {
        return hierarchy;
    }

    public ConceptEmbeddings embeddings() {
        return embeddings;
    }

    public Options options() {
        return options;
    }

    /** One pass over all box positions keeping every synset's rank: the one-sweep design. */
    public RankSweep sweep(Tensor image) {
        List<SweepGeometry.Box> boxes = options.geometry().boxes();
        int t = hierarchy.size();
        float[] all = new float[Math.toIntExact((long) boxes.size() * t)];
        encodeBoxes(image, boxes, (start, ranks) -> System.arraycopy(ranks, 0, all, start * t, ranks.length));
        return new RankSweep(options.geometry(), hierarchy, all);
    }

    /** The grid map of one concept, R x R row-major in [0, 1], keeping only that concept's ranks. */
    public float[] gridMap(Tensor image, Concept concept) {
        int[] subtree = hierarchy.subtree(concept);
        List<SweepGeometry.Box> boxes = options.geometry().boxes();
        SaliencyAccumulator acc = new SaliencyAccumulator(options.geometry());
        encodeBoxes(image, boxes, (start, ranks) -> {
            float[] best = ConceptRanks.bestOverSubtree(ranks, hierarchy.size(), subtree);
            for (int i = 0; i < best.length; i++) {
                acc.add(boxes.get(start + i), best[i]);
            }
        });
        return acc.map();
    }

    /**
     * The stochastic map: boxes (a random size of the geometry) are centred on image pixels drawn
     * with probability proportional to {@code (map + eps)^gamma}, where map is {@code 1 - minmax}
     * of the mean rank seen so far (unvisited pixels count as 1, so they get explored). Every
     * {@code restartEvery} iterations the sampler starts over from a uniform map; the evidence of
     * all iterations is kept. Result: {@code 1 - minmax(mean rank)} over covered pixels, 0 elsewhere.
     */
    public float[] stochasticMap(Tensor image, Concept concept, Stochastic settings) {
        int[] subtree = hierarchy.subtree(concept);
        SweepGeometry g = options.geometry();
        int r = g.resolution();
        int[] sizes = g.boxSizes();
        Random rng = new Random(options.seed() ^ 0x5DEECE66DL);
        double[] sum = new double[r * r];
        double[] count = new double[r * r];
        double[] chainSum = new double[r * r];
        double[] chainCount = new double[r * r];
        NoiseCanvas canvas = canvas(image);
        for (int it = 0; it < settings.iterations(); it += settings.boxesPerStep()) {
            if (it % settings.restartEvery() < settings.boxesPerStep()) {
                java.util.Arrays.fill(chainSum, 0);
                java.util.Arrays.fill(chainCount, 0);
            }
            double[] weights = samplingWeights(chainSum, chainCount, settings);
            List<SweepGeometry.Box> boxes = new ArrayList<>();
            for (int k = 0; k < Math.min(settings.boxesPerStep(), settings.iterations() - it); k++) {
                int centre = sample(weights, rng);
                int size = sizes[rng.nextInt(sizes.length)];
                int x = clamp(g.border() + centre % r - size / 2, g.canvasSize() - size);
                int y = clamp(g.border() + centre / r - size / 2, g.canvasSize() - size);
                boxes.add(new SweepGeometry.Box(x, y, size));
            }
            float[] best = ConceptRanks.bestOverSubtree(encodeRanks(canvas, boxes), hierarchy.size(), subtree);
            for (int i = 0; i < boxes.size(); i++) {
                addBox(g, boxes.get(i), best[i], sum, count);
                addBox(g, boxes.get(i), best[i], chainSum, chainCount);
            }
        }
        return meanRankMap(sum, count);
    }

    private static double[] samplingWeights(double[] sum, double[] count, Stochastic s) {
        float[] map = meanRankMap(sum, count);
        double[] w = new double[map.length];
        for (int i = 0; i < w.length; i++) {
            double m = count[i] == 0 ? 1 : map[i];
            w[i] = Math.pow(m + s.eps(), s.gamma());
        }
        return w;
    }

    /** {@code 1 - minmax(sum / count)} over covered pixels; uncovered pixels get 0. */
    private static float[] meanRankMap(double[] sum, double[] count) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < sum.length; i++) {
            if (count[i] > 0) {
                double m = sum[i] / count[i];
                min = Math.min(min, m);
                max = Math.max(max, m);
            }
        }
        float[] out = new float[sum.length];
        if (!(max - min > 1e-12)) {
            return out;
        }
        for (int i = 0; i < sum.length; i++) {
            if (count[i] > 0) {
                out[i] = (float) (1 - (sum[i] / count[i] - min) / (max - min));
            }
        }
        return out;
    }

    private static void addBox(SweepGeometry g, SweepGeometry.Box b, double value, double[] sum, double[] count) {
        int r = g.resolution();
        for (int y = Math.max(0, b.y() - g.border()); y < Math.min(r, b.y() + b.size() - g.border()); y++) {
            for (int x = Math.max(0, b.x() - g.border()); x < Math.min(r, b.x() + b.size() - g.border()); x++) {
                sum[y * r + x] += value;
                count[y * r + x] += 1;
            }
        }
    }

    private static int sample(double[] weights, Random rng) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double u = rng.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            u -= weights[i];
            if (u < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    private static int clamp(int v, int max) {
        return Math.max(0, Math.min(max, v));
    }

    private NoiseCanvas canvas(Tensor image) {
        long r = options.geometry().resolution();
        if (image.dim() != 4 || image.size(0) != 1 || image.size(1) != 3 || image.size(2) != r || image.size(3) != r) {
            throw new IllegalArgumentException("ConVis explains one CLIP-preprocessed image [1, 3, " + r + ", " + r
                    + "], got " + Tensors.shapeString(image));
        }
        if (!image.isfinite().all().item_bool()) {
            throw new IllegalArgumentException("the image contains NaN or infinite values");
        }
        return new NoiseCanvas(image, options.geometry(), options.seed());
    }

    /** Encodes {@code boxes} in batches; hands each batch's normalised ranks {@code [b, |T|]} to {@code sink(firstBox, ranks)}. */
    private void encodeBoxes(Tensor image, List<SweepGeometry.Box> boxes, BiConsumer<Integer, float[]> sink) {
        NoiseCanvas canvas = canvas(image);
        for (int start = 0; start < boxes.size(); start += options.batchSize()) {
            List<SweepGeometry.Box> batch = boxes.subList(start, Math.min(boxes.size(), start + options.batchSize()));
            sink.accept(start, encodeRanks(canvas, batch));
        }
    }

    private float[] encodeRanks(NoiseCanvas canvas, List<SweepGeometry.Box> boxes) {
        try (PointerScope _ = new PointerScope(); NoGradGuard _ = new NoGradGuard()) {
            Tensor embeddings = encoder.encode(canvas.crops(boxes));
            return Tensors.toFloats(ConceptRanks.normalisedRanks(embeddings, this.embeddings));
        }
    }
}
