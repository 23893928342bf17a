package io.capxai;

import io.capxai.tensors.Tensors;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SmokeTest {
    @Test
    void arraysRoundTripThroughTensors() {
        Tensor t = Tensors.fromFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertArrayEquals(new long[] {2, 3}, Tensors.shape(t));
        assertEquals(21.0, t.sum().item_double(), 0.0);
        assertArrayEquals(new double[] {1, 4, 2, 5, 3, 6}, Tensors.toDoubles(t.t()), 0.0);
        assertEquals(24, Tensors.segment(t).byteSize());
    }
}
