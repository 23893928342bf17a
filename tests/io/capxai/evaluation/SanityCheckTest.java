package io.capxai.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SanityCheckTest {
    @Test
    void spearmanOnHandMadeRanks() {
        assertEquals(1.0, SanityCheck.spearman(new float[] {1, 2, 3, 4}, new float[] {10, 20, 30, 40}), 1e-12);
        assertEquals(-1.0, SanityCheck.spearman(new float[] {1, 2, 3, 4}, new float[] {4, 3, 2, 1}), 1e-12);
        assertArrayEquals(new double[] {0, 1.5, 1.5, 3}, SanityCheck.ranks(new float[] {0, 5, 5, 9}), 1e-12);
        assertEquals(0.0, SanityCheck.spearman(new float[] {1, 1, 1}, new float[] {1, 2, 3}));
    }
}
