package io.capxai.bench;

import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/** Shapes and tensors shared by the kernel benchmarks. */
final class KernelBenchSupport {
    private KernelBenchSupport() {}

    /** A tap: {@code channels} maps of {@code size x size}, parsed from "9472@14". */
    record Tap(long channels, long size) {
        static Tap parse(String text) {
            String[] parts = text.split("@");
            if (parts.length != 2) {
                throw new IllegalArgumentException("expected CHANNELS@SIZE, e.g. 9472@14, got " + text);
            }
            return new Tap(Long.parseLong(parts[0].strip()), Long.parseLong(parts[1].strip()));
        }

        long positions() {
            return size * size;
        }
    }

    /** Standard-normal float32 activations [n, c, s, s] on the CPU. */
    static Tensor activations(long n, Tap tap) {
        return torch.randn(new long[] {n, tap.channels(), tap.size(), tap.size()}, floats());
    }

    static TensorOptions floats() {
        return new TensorOptions().dtype(new ScalarTypeOptional(ScalarType.Float));
    }
}
