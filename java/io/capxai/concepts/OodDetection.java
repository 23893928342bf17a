package io.capxai.concepts;

import io.capxai.wordnet.Concept;
import org.bytedeco.pytorch.Tensor;

import io.capxai.tensors.Tensors;

/**
 * Out-of-distribution detection with a concept (SPEC 3): an image's score for an in-distribution
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
