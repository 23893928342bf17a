package io.capxai.weights;

import io.capxai.testing.ExternalData;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capxai.tensors.Tensors;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import io.capxai.testing.PythonReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KerasResNet50WeightsTest {

    @Test
    void kerasNamesMapToTorchvisionNames() {
        assertEquals("conv1.weight", KerasResNet50Weights.torchName("conv1/kernel"));
        assertEquals("bn1.running_var", KerasResNet50Weights.torchName("bn_conv1/moving_variance"));
        assertEquals("layer1.0.conv1.bias", KerasResNet50Weights.torchName("res2a_branch2a/bias"));
        assertEquals("layer1.0.bn1.running_mean", KerasResNet50Weights.torchName("bn2a_branch2a/moving_mean"));
        assertEquals("layer2.3.conv3.weight", KerasResNet50Weights.torchName("res3d_branch2c/kernel"));
        assertEquals("layer3.5.bn2.weight", KerasResNet50Weights.torchName("bn4f_branch2b/gamma"));
        assertEquals("layer3.0.downsample.0.weight", KerasResNet50Weights.torchName("res4a_branch1/kernel"));
        assertEquals("layer4.0.downsample.1.bias", KerasResNet50Weights.torchName("bn5a_branch1/beta"));
        assertEquals("fc.weight", KerasResNet50Weights.torchName("fc1000/kernel"));
        // Keras >= 2.3 naming
        assertEquals("conv1.bias", KerasResNet50Weights.torchName("conv1_conv/bias"));
        assertEquals("bn1.weight", KerasResNet50Weights.torchName("conv1_bn/gamma"));
        assertEquals("layer1.0.conv1.weight", KerasResNet50Weights.torchName("conv2_block1_1_conv/kernel"));
        assertEquals("layer3.5.bn3.running_var", KerasResNet50Weights.torchName("conv4_block6_3_bn/moving_variance"));
        assertEquals("layer2.0.downsample.0.bias", KerasResNet50Weights.torchName("conv3_block1_0_conv/bias"));
        assertEquals("layer4.0.downsample.1.running_mean", KerasResNet50Weights.torchName("conv5_block1_0_bn/moving_mean"));
        assertEquals("fc.weight", KerasResNet50Weights.torchName("predictions/kernel"));
        assertNull(KerasResNet50Weights.torchName("conv2_block1_4_conv/kernel"));
        assertNull(KerasResNet50Weights.torchName("conv2_block0_1_conv/kernel"));
        assertNull(KerasResNet50Weights.torchName("res6a_branch2a/kernel"));
        assertNull(KerasResNet50Weights.torchName("bn2a_branch2a/kernel"));
        assertNull(KerasResNet50Weights.torchName("dense/kernel"));
    }

    @Test
    void realWeightsHaveTheKerasResNet50Shapes() {
        StateDict dict = Weights.load(ExternalData.resnet50Tfjs());
        assertEquals(320, dict.size());
        long total = 0;
        for (Tensor t : dict.asMap().values()) {
            total += t.numel();
        }
        assertEquals(KerasResNet50Weights.PARAMETER_COUNT, total);
        dict.get("conv1.weight", 64, 3, 7, 7);
        dict.get("conv1.bias", 64);
        dict.get("bn1.running_var", 64);
        dict.get("layer1.0.conv1.weight", 64, 64, 1, 1);
        dict.get("layer1.0.downsample.0.weight", 256, 64, 1, 1);
        dict.get("layer2.0.conv2.weight", 128, 128, 3, 3);
        dict.get("layer3.5.conv3.weight", 1024, 256, 1, 1);
        dict.get("layer4.2.bn3.running_mean", 2048);
        dict.get("fc.weight", 1000, 2048);
        dict.get("fc.bias", 1000);
        for (int stage = 1; stage <= 4; stage++) {
            int blocks = new int[] {3, 4, 6, 3}[stage - 1];
            assertTrue(dict.contains("layer" + stage + "." + (blocks - 1) + ".conv3.bias"));
            assertTrue(!dict.contains("layer" + stage + "." + blocks + ".conv1.weight"));
        }
        assertEquals("0.001", dict.metadata().get("bn.eps"));
        assertEquals("caffe", dict.metadata().get("preprocessing"));
        // moving variances are variances
        assertTrue(torch.min(dict.get("bn1.running_var")).item_double() > 0);
    }

    @Test
    void realWeightsMatchAnIndependentNumpyReading(@TempDir Path tmp) throws IOException, InterruptedException {
        Path model = ExternalData.resnet50Tfjs();
        PythonReference.require("numpy");
        Path out = tmp.resolve("reference.json");
        PythonReference.run("weights/tfjs_resnet50_reference.py", model.toString(), out.toString());
        JsonNode ref = new ObjectMapper().readTree(out.toFile());
        assertEquals(KerasResNet50Weights.PARAMETER_COUNT, ref.get("parameters").asLong());

        StateDict dict = KerasResNet50Weights.read(model);
        // single values, indexed [h, w, in, out] in Keras and [out, in, h, w] here
        for (JsonNode raw : ref.get("raw")) {
            String keras = raw.get("name").asText();
            Tensor t = dict.get(KerasResNet50Weights.torchName(keras));
            long[] k = new long[raw.get("index").size()];
            for (int i = 0; i < k.length; i++) {
                k[i] = raw.get("index").get(i).asLong();
            }
            long[] torchIndex = switch (k.length) {
                case 4 -> new long[] {k[3], k[2], k[0], k[1]};
                case 2 -> new long[] {k[1], k[0]};
                default -> k;
            };
            Tensor value = t;
            for (long i : torchIndex) {
                value = value.select(0, i);
            }
            assertEquals(raw.get("value").asDouble(), value.item_double(), 0.0, keras + Tensors.shapeString(t));
        }
        // Keras conv1 (NHWC, HWIO) computed in numpy == torch conv2d (NCHW, OIHW) with the converted kernel
        JsonNode conv = ref.get("conv1");
        Tensor inputNhwc = Tensors.fromFloats(floats(conv.get("input_nhwc")), 1, 11, 11, 3);
        Tensor outputNchw = torch.conv2d(inputNhwc.permute(0, 3, 1, 2).contiguous(), dict.get("conv1.weight"),
                new TensorOptional(dict.get("conv1.bias")), new long[] {2, 2}, new long[] {0, 0}, new long[] {1, 1}, 1);
        double[] actual = Tensors.toDoubles(outputNchw.permute(0, 2, 3, 1));
        double[] expected = doubles(conv.get("output_nhwc"));
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-4 * (1 + Math.abs(expected[i])), "conv1 output " + i);
        }
    }

    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    @Test
    void torchNamesAreUniqueAndCoverTheWholeManifest() {
        Path model = ExternalData.resnet50Tfjs();
        var keras = TfjsLayersModel.readKeras(model.resolve("model.json"));
        var names = new java.util.HashSet<String>();
        for (String k : keras.keySet()) {
            assertTrue(names.add(KerasResNet50Weights.torchName(k)), "duplicate torch name for " + k);
        }
        assertArrayEquals(new long[] {7, 7, 3, 64}, Tensors.shape(keras.get("conv1/kernel")));
    }
}
