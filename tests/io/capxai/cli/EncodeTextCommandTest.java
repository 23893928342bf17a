package io.capxai.cli;

import io.capxai.models.ClipModel;
import io.capxai.models.RandomWeights;
import io.capxai.models.text.ClipTokenizer;
import io.capxai.tensors.Tensors;
import io.capxai.weights.Safetensors;
import io.capxai.weights.StateDict;
import org.bytedeco.pytorch.NoGradGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class EncodeTextCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesTokensAndTheTextFeaturesOfEachText() {
        StateDict weights = RandomWeights.clipResNet(new int[] {1, 1, 1, 1}, 16, 32, 32, 64, 1, 49408, 5);
        Path clip = dir.resolve("clip.safetensors");
        Safetensors.write(clip, weights.asMap(), Map.of());
        Path out = dir.resolve("text.safetensors");
        int code = new CommandLine(new EncodeTextCommand()).execute("--weights", clip.toString(), "--out", out.toString(),
                "a photo of a cat", "a photo of a red digit.");
        assertEquals(0, code);

        StateDict result = Safetensors.read(out);
        long[] tokens = Tensors.toLongs(result.get("tokens", 2, 77));
        assertArrayEquals(new long[] {49406, 320, 1125, 539, 320, 2368, 49407, 0}, java.util.Arrays.copyOf(tokens, 8));
        float[] output = Tensors.toFloats(result.get("output", 2, 32));
        ClipModel model = ClipModel.fromStateDict(Safetensors.read(clip));
        try (NoGradGuard noGrad = new NoGradGuard()) {
            float[] expected = Tensors.toFloats(model.encodeText(ClipTokenizer.load().tokenize(List.of("a photo of a cat", "a photo of a red digit."))));
            assertArrayEquals(expected, output, 1e-5f);
        }
    }
}
