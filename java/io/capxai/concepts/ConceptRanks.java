package io.capxai.concepts;

import io.capxai.tensors.Tensors;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Ranks of all synsets for a batch of image embeddings (docs/method.md#ranks: {@code rank_sim}): one matrix
 * product {@code (boxes x E) x (E x |T|)}, then per row the rank of each synset by descending
 * cosine, 0 = most similar. Ties go to the lower synset index (a stable sort), so ranks are a
 * permutation of 0..|T|-1 in every row.
 */
public final class ConceptRanks {
    private ConceptRanks() {}

    /**
     * Normalised ranks {@code rank / (|T| - 1)} in [0, 1], float32 {@code [B, |T|]} on the CPU.
     *
     * @param imageEmbeddings {@code [B, E]}, any scale (they are L2-normalised here)
     * @param concepts        the synset embeddings
     */
    public static Tensor normalisedRanks(Tensor imageEmbeddings, ConceptEmbeddings concepts) {
        Tensor ranks = ranks(imageEmbeddings, concepts).to(ScalarType.Float);
        int n = concepts.size();
        return n == 1 ? ranks : ranks.div(new Scalar((double) (n - 1)));
    }

    /** Integer ranks, int64 {@code [B, |T|]} on the CPU. */
    public static Tensor ranks(Tensor imageEmbeddings, ConceptEmbeddings concepts) {
        Tensor z = similarities(imageEmbeddings, concepts);
        // argsort descending gives the synset at each rank; argsort of that permutation inverts it
        Tensor order = torch.argsort(z, true, 1, true);
        return torch.argsort(order, true, 1, false).cpu();
    }

    /** Cosines {@code [B, |T|]} between the image embeddings and every synset. */
    public static Tensor similarities(Tensor imageEmbeddings, ConceptEmbeddings concepts) {
        if (imageEmbeddings.dim() != 2 || imageEmbeddings.size(1) != concepts.dim()) {
            throw new IllegalArgumentException("image embeddings " + Tensors.shapeString(imageEmbeddings)
                    + " do not match concept embeddings of width " + concepts.dim());
        }
        Tensor img = torch.normalize(imageEmbeddings.to(ScalarType.Float));
        if (!img.isfinite().all().item_bool()) {
            throw new IllegalArgumentException("image embeddings contain NaN or infinite values");
        }
        Tensor m = img.is_cuda() ? concepts.matrix().to(img.device(), ScalarType.Float) : concepts.matrix();
        return img.matmul(m.t());
    }

    /**
     * {@code max_rank_sim} of a concept for every row: the best (smallest) normalised rank over
     * its subtree's columns. {@code ranks} {@code [B, |T|]} row-major, result length B.
     */
    public static float[] bestOverSubtree(float[] ranks, int concepts, int[] subtree) {
        if (subtree.length == 0) {
            throw new IllegalArgumentException("empty subtree");
        }
        int rows = ranks.length / concepts;
        float[] out = new float[rows];
        for (int r = 0; r < rows; r++) {
            float best = Float.POSITIVE_INFINITY;
            int base = r * concepts;
            for (int j : subtree) {
                best = Math.min(best, ranks[base + j]);
            }
            out[r] = best;
        }
        return out;
    }
}
