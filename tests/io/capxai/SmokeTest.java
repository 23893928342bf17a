package io.capxai;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SmokeTest {
    @Test
    void libtorchLoads() {
        Tensor t = torch.ones(2, 3);
        Tensor s = t.sum();
        assertEquals(6.0f, s.item_float(), 0.0f);
    }
}
