package io.capxai.concepts;

import io.capxai.wordnet.Concept;
import org.bytedeco.pytorch.Tensor;

import io.capxai.tensors.Tensors;

/**
 * Out-of-distribution detection with a concept (docs/method.md#ood-detection): an image's score for an in-distribution
 * concept is the maximum cosine between its whole-image embedding and the embeddings of the
 * concept's representatives; AUROC then measures how well the score separates in- from
 * out-of-distribution images.
 */
public final class OodDetection {
    /** Which embeddings stand for the in-distribution concept. */
    public enum Representatives {
        /** The glosses of the leaves of its subtree in T (the paper's default). */
        LEAVES,
        /** Its own row of the given embeddings (its gloss, or its lemmas with LEMMAS embeddings). */
        SELF
    }

    private OodDetection() {}

    /** One score per image: max cosine over the representatives. {@code imageEmbeddings} {@code [N, E]}. */
    public static double[] scores(Tensor imageEmbeddings, ConceptHierarchy hierarchy, ConceptEmbeddings embeddings,
                                  Concept inDistribution, Representatives representatives) {
        int[] columns = switch (representatives) {
            case LEAVES -> hierarchy.leaves(inDistribution);
            case SELF -> new int[] {hierarchy.require(inDistribution)};
        };
        float[] cos = Tensors.toFloats(ConceptRanks.similarities(imageEmbeddings, embeddings).cpu());
        int t = embeddings.size();
        int n = cos.length / t;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int j : columns) {
                best = Math.max(best, cos[i * t + j]);
            }
            out[i] = best;
        }
        return out;
    }

    /** The AUROC of one in/out pair and the options used. */
    public record Result(String inDistribution, String outOfDistribution, int inImages, int outImages,
                         Representatives representatives, double auroc) {}

    /**
     * Encodes the whole images of both sets (CLIP-normalised {@code [N, 3, R, R]}) in batches and
     * scores them for {@code in}; the AUROC says how well the score tells the in-distribution set
     * (items of {@code in}'s subtree) from the other.
     */
    public static Result evaluate(ImageEncoder encoder, ConceptHierarchy hierarchy, ConceptEmbeddings embeddings,
                                  Concept in, Concept out, Tensor inImages, Tensor outImages,
                                  Representatives representatives, int batchSize) {
        double[] inScores = scores(embed(encoder, inImages, batchSize), hierarchy, embeddings, in, representatives);
        double[] outScores = scores(embed(encoder, outImages, batchSize), hierarchy, embeddings, in, representatives);
        return new Result(in.nltkName(), out.nltkName(), inScores.length, outScores.length, representatives,
                auroc(inScores, outScores));
    }

    private static Tensor embed(ImageEncoder encoder, Tensor images, int batchSize) {
        java.util.List<Tensor> parts = new java.util.ArrayList<>();
        try (org.bytedeco.pytorch.NoGradGuard _ = new org.bytedeco.pytorch.NoGradGuard()) {
            for (long start = 0; start < images.size(0); start += batchSize) {
                long n = Math.min(batchSize, images.size(0) - start);
                parts.add(encoder.encode(images.narrow(0, start, n)).cpu());
            }
        }
        return org.bytedeco.pytorch.global.torch.cat(new org.bytedeco.pytorch.TensorVector(parts.toArray(new Tensor[0])), 0);
    }

    /**
     * Area under the ROC curve with in-distribution as positives: the probability that a random
     * in-distribution image scores higher than a random out-of-distribution one (ties count half).
     */
    public static double auroc(double[] in, double[] out) {
        if (in.length == 0 || out.length == 0) {
            throw new IllegalArgumentException("AUROC needs in- and out-of-distribution scores, got " + in.length
                    + " and " + out.length);
        }
        double[] sortedOut = out.clone();
        java.util.Arrays.sort(sortedOut);
        double sum = 0;
        for (double s : in) {
            if (Double.isNaN(s)) {
                throw new IllegalArgumentException("NaN score");
            }
            int below = lowerBound(sortedOut, s);
            int notAbove = upperBound(sortedOut, s);
            sum += below + 0.5 * (notAbove - below);
        }
        return sum / ((double) in.length * out.length);
    }

    private static int lowerBound(double[] a, double v) {
        int lo = 0, hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < v) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private static int upperBound(double[] a, double v) {
        int lo = 0, hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= v) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
