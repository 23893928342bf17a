package io.capxai.testing;

import io.capxai.models.RandomWeights;
import io.capxai.weights.Safetensors;

import java.nio.file.Path;
import java.util.Map;

/** Weight files of tiny random models for command-line and cluster tests: a ResNet and a CLIP-architecture model at 32 px. */
public final class TinyModelFiles {
    private TinyModelFiles() {}

    /** A basic-block ResNet with one block per stage and two classes, as {@code dir/resnet.safetensors}. */
    public static Path standalone(Path dir) {
        Path file = dir.resolve("resnet.safetensors");
        Safetensors.write(file, RandomWeights.resnet(new int[] {1, 1, 1, 1}, false, 2, 4).asMap(), Map.of());
        return file;
    }

    /** A CLIP with a ModifiedResNet tower at 32 px, drawn with {@code seed}, named "random tiny CLIP", as {@code dir/NAME}. */
    public static Path clip(Path dir, String name, long seed) {
        Path file = dir.resolve(name);
        Safetensors.write(file, RandomWeights.clipResNet(new int[] {1, 1, 1, 1}, 16, 32, 32, 64, 1, 49408, seed).asMap(),
                Map.of("name", "random tiny CLIP"));
        return file;
    }
}
