package io.capxai.cli;

import io.capxai.models.RandomWeights;
import io.capxai.tensors.Tensors;
import io.capxai.weights.Safetensors;
import io.capxai.weights.StateDict;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MatchCommandTest {
    @TempDir
    Path dir;

    /** A tiny random ResNet and CLIP and {@code images} random inputs in {@code dir}: standalone, clip, input. */
    static Path[] tinyModelsAndInput(Path dir, int images) {
        Path standalone = dir.resolve("resnet.safetensors");
        Path clip = dir.resolve("clip.safetensors");
        Safetensors.write(standalone, RandomWeights.resnet(new int[] {1, 1, 1, 1}, true, 2, 4).asMap(), Map.of());
        Safetensors.write(clip, RandomWeights.clipResNet(new int[] {1, 1, 1, 1}, 16, 32, 32, 64, 1, 49408, 5).asMap(), Map.of());
        torch.manual_seed(9);
        Path input = dir.resolve("in.safetensors");
        Safetensors.write(input, Map.of("input", torch.randn(images, 3, 32, 32)), Map.of());
        return new Path[] {standalone, clip, input};
    }

    @Test
    void fusedAndReferenceEnginesWriteTheSameContract() {
        Path[] files = tinyModelsAndInput(dir, 5);
        Path standalone = files[0];
        Path clip = files[1];
        Path input = files[2];

        Path fused = dir.resolve("fused.safetensors");
        Path reference = dir.resolve("reference.safetensors");
        assertEquals(0, run("--standalone", standalone.toString(), "--clip", clip.toString(), "--input", input.toString(),
                "--out", fused.toString(), "--batch-size", "2"));
        assertEquals(0, run("--standalone", standalone.toString(), "--clip", clip.toString(), "--input", input.toString(),
                "--out", reference.toString(), "--engine", "reference"));

        StateDict f = Safetensors.read(fused);
        StateDict r = Safetensors.read(reference);
        String[] rows = f.metadata().get("rows").split(",");
        String[] cols = f.metadata().get("cols").split(",");
        assertEquals("conv1", rows[0]);
        assertEquals(1 + 4 * 3, rows.length, "conv1 and three convs per Bottleneck, no downsample");
        assertEquals("visual.layer1,visual.layer2,visual.layer3,visual.layer4", String.join(",", cols));
        long[] shape = Tensors.shape(f.get("scores"));
        assertEquals(shape[0], Tensors.shape(f.get("standalone_mean"))[0]);
        assertEquals(shape[1], Tensors.shape(f.get("clip_std"))[0]);
        float[] a = Tensors.toFloats(f.get("scores"));
        float[] b = Tensors.toFloats(r.get("scores"));
        double worst = 0;
        double largest = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
            largest = Math.max(largest, Math.abs(b[i]));
        }
        assertTrue(worst <= 1e-4 * largest, "fused vs reference: " + worst + " of " + largest);
        assertNotEquals(0.0, largest);
    }

    @Test
    void aMissingWeightFileIsAClearError() {
        CommandLine cli = new CommandLine(new MatchCommand());
        java.io.StringWriter err = new java.io.StringWriter();
        cli.setErr(new java.io.PrintWriter(err));
        int code = cli.execute("--standalone", dir.resolve("absent.pt").toString(), "--clip", "x", "--input", "y", "--out", "z");
        assertNotEquals(0, code);
        assertTrue(err.toString().contains("absent.pt"), err.toString());
    }

    private static int run(String... args) {
        return new CommandLine(new MatchCommand()).execute(args);
    }
}
