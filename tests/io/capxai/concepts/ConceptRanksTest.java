package io.capxai.concepts;

import io.capxai.tensors.Tensors;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class ConceptRanksTest {
    @Test
    void ranksMatchBruteForceCountingIncludingTies() {
        Random rng = new Random(3);
        int b = 5, t = 40, e = 6;
        float[] img = new float[b * e];
        float[] con = new float[t * e];
        for (int i = 0; i < img.length; i++) img[i] = (float) rng.nextGaussian();
        for (int i = 0; i < con.length; i++) con[i] = (float) rng.nextGaussian();
        System.arraycopy(con, 0, con, 7 * e, e); // synset 7 duplicates synset 0: an exact tie
        ConceptEmbeddings concepts = new ConceptEmbeddings(Tensors.fromFloats(con, t, e), ConceptText.GLOSS);
        Tensor imgT = Tensors.fromFloats(img, b, e);
        float[] z = Tensors.toFloats(ConceptRanks.similarities(imgT, concepts));
        long[] ranks = Tensors.toLongs(ConceptRanks.ranks(imgT, concepts));
        for (int r = 0; r < b; r++) {
            for (int j = 0; j < t; j++) {
                int expected = 0;
                for (int k = 0; k < t; k++) {
                    float zk = z[r * t + k], zj = z[r * t + j];
                    if (zk > zj || (zk == zj && k < j)) expected++;
                }
                assertEquals(expected, ranks[r * t + j], "row " + r + " synset " + j);
            }
        }
        float[] norm = Tensors.toFloats(ConceptRanks.normalisedRanks(imgT, concepts));
        assertEquals(ranks[3] / (float) (t - 1), norm[3], 1e-6);
    }

    @Test
    void bestOverSubtreeIsTheMinimumOfItsColumns() {
        float[] ranks = {0.5f, 0.1f, 0.9f, 0.3f, /* row 2 */ 0.2f, 0.8f, 0.4f, 0.0f};
        assertArrayEquals(new float[] {0.1f, 0.2f}, ConceptRanks.bestOverSubtree(ranks, 4, new int[] {0, 1}));
        assertArrayEquals(new float[] {0.3f, 0.0f}, ConceptRanks.bestOverSubtree(ranks, 4, new int[] {2, 3}));
    }

    @Test
    void mismatchedOrNonFiniteEmbeddingsAreRejected() {
        ConceptEmbeddings concepts = new ConceptEmbeddings(Tensors.fromFloats(new float[] {1, 0, 0, 1}, 2, 2), ConceptText.GLOSS);
        assertThrows(IllegalArgumentException.class,
                () -> ConceptRanks.ranks(Tensors.fromFloats(new float[] {1, 2, 3}, 1, 3), concepts));
        assertThrows(IllegalArgumentException.class,
                () -> ConceptRanks.ranks(Tensors.fromFloats(new float[] {Float.NaN, 1}, 1, 2), concepts));
        assertThrows(IllegalArgumentException.class,
                () -> new ConceptEmbeddings(Tensors.fromFloats(new float[] {Float.NaN, 1}, 1, 2), ConceptText.GLOSS));
    }
}
