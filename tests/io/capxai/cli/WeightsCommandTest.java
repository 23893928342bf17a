package io.capxai.cli;

import io.capxai.tensors.Tensors;
import io.capxai.weights.Safetensors;
import io.capxai.weights.StateDict;
import io.capxai.weights.Weights;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WeightsCommandTest {
    @TempDir
    Path dir;

    @Test
    void listsTensorsAndConvertsToFloat32Safetensors() {
        Path in = dir.resolve("in.safetensors");
        Map<String, org.bytedeco.pytorch.Tensor> tensors = new LinkedHashMap<>();
        tensors.put("a.weight", Tensors.fromFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).to(ScalarType.Half));
        tensors.put("b.bias", Tensors.fromFloats(new float[] {7}, 1));
        Safetensors.write(in, tensors, Map.of());
        Path out = dir.resolve("out.safetensors");

        StringWriter stdout = new StringWriter();
        CommandLine cli = new CommandLine(new WeightsCommand());
        cli.setOut(new PrintWriter(stdout));
        int code = cli.execute(in.toString(), "--convert", out.toString(), "--limit", "1");

        assertEquals(0, code);
        String text = stdout.toString();
        assertTrue(text.contains("a.weight") && text.contains("[2, 3]"), text);
        assertTrue(text.contains("1 more"), text);
        assertTrue(text.contains("SAFETENSORS, 2 tensors, 7 values"), text);
        StateDict converted = Safetensors.read(out);
        assertEquals(ScalarType.Float.value, converted.get("a.weight").scalar_type().value);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, Tensors.toFloats(Weights.load(out).get("a.weight")));
    }
}
