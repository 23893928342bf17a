package io.capxai.matching;

import io.capxai.tensors.Tensors;
import io.capxai.testing.PythonReference;
import io.capxai.weights.Safetensors;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReferenceMatcherTest {
    @TempDir
    Path dir;

    @Test
    void scoresEqualTheLiteralFloat64Definition() {
        torch.manual_seed(7);
        int images = 5;
        Map<String, Tensor> standalone = new LinkedHashMap<>();
        standalone.put("conv1", torch.randn(images, 3, 7, 7));
        standalone.put("layer1.0.conv1", torch.randn(images, 2, 3, 3).mul(new org.bytedeco.pytorch.Scalar(0.5)).add(new org.bytedeco.pytorch.Scalar(1e4)));
        standalone.put("layer4.0.conv3", torch.randn(images, 4, 1, 1));
        Map<String, Tensor> clip = new LinkedHashMap<>();
        clip.put("visual.layer1", torch.randn(images, 3, 5, 5).exp());
        clip.put("visual.layer2", torch.randn(images, 1, 3, 3));
        ActivationSource source = Batches.of(standalone, clip, 2);

        MatchResult result = new ReferenceMatcher().match(source);

        Map<String, Tensor> dump = new LinkedHashMap<>();
        standalone.forEach((k, v) -> dump.put("s." + k, v));
        clip.forEach((k, v) -> dump.put("c." + k, v));
        Path in = dir.resolve("taps.safetensors");
        Path out = dir.resolve("scores.safetensors");
        Safetensors.write(in, dump, Map.of("rows", String.join(",", standalone.keySet()), "cols", String.join(",", clip.keySet())));
        PythonReference.require("torch");
        PythonReference.run("matching/scores.py", in.toString(), out.toString());
        double[] expected = Tensors.toDoubles(Safetensors.read(out).get("scores", 9, 4));

        assertEquals(9, result.scores().rowCount());
        assertEquals(4, result.scores().colCount());
        assertEquals(images, result.standalone().images());
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(result.scores().values()[i] - expected[i]));
        }
        assertTrue(worst < 1e-4, "max abs error " + worst);
        assertEquals(1e4, result.standalone().mean()[3], 1.0);
    }
}
