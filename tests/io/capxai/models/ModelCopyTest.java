package io.capxai.models;

import io.capxai.tensors.Tensors;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ImageModel#copyTo}: an independent copy (own tensors) that computes what the original computes. */
class ModelCopyTest {
    private static final Device CPU = new Device(torch.DeviceType.CPU);

    @Test
    void aResNetCopyHasItsOwnWeightsAndTheSameOutputs() {
        ResNet model = ResNet.fromStateDict(RandomWeights.resnet(new int[] {1, 1, 1, 1}, true, 3, 7));
        model.train(true);
        ResNet copy = model.copyTo(CPU);
        assertTrue(copy.state().training(), "train/eval mode is copied");
        model.train(false);
        copy.train(false);
        assertEquals(model.name(), copy.name());
        assertIndependentWithSameOutputs(model, copy, 32);
    }

    @Test
    void clipTowerCopiesToo() {
        ClipModel clip = ClipModel.fromStateDict(RandomWeights.clipResNet(new int[] {1, 1, 1, 1}, 16, 32, 32, 64, 1, 49408, 2));
        ClipImageTower copy = clip.visual().copyTo(CPU);
        assertEquals(clip.visual().tapPoints(), copy.tapPoints());
        assertIndependentWithSameOutputs(clip.visual(), copy, 32);
    }

    private static void assertIndependentWithSameOutputs(ImageModel model, ImageModel copy, int size) {
        Map<String, Tensor> a = model.state().stateDict();
        Map<String, Tensor> b = copy.state().stateDict();
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertNotEquals(a.get(k).data_ptr().address(), b.get(k).data_ptr().address(), k + " shares storage");
            assertArrayEquals(Tensors.toFloats(a.get(k)), Tensors.toFloats(b.get(k)), k);
        }
        torch.manual_seed(3);
        Tensor x = torch.randn(2, 3, size, size);
        assertArrayEquals(Tensors.toFloats(model.forward(x)), Tensors.toFloats(copy.forward(x)), 0f);
        String first = a.keySet().iterator().next();
        float[] before = Tensors.toFloats(a.get(first));
        b.get(first).mul_(new org.bytedeco.pytorch.Scalar(0.0));
        assertArrayEquals(before, Tensors.toFloats(a.get(first)), "the original is untouched by a change to the copy");
    }
}
