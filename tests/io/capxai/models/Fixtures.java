package io.capxai.models;

import io.capxai.tensors.Tensors;
import io.capxai.testing.PythonReference;
import io.capxai.weights.Safetensors;
import io.capxai.weights.StateDict;
import org.bytedeco.pytorch.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PyTorch parity fixtures of tests/reference: generated into target/fixtures by
 * make_fixtures.sh when missing or made by an older version of the reference scripts.
 */
final class Fixtures {
    /** Max |java - torch| over max |torch|: float32 reassociation stays far below this. */
    static final double TOLERANCE = 1e-4;

    /**
     * Relative L2 error allowed on input gradients. A ReLU whose input lies within float32 noise of zero
     * can switch between implementations and change one image's gradient diffusely: the ResNet-50
     * fixture shows 0.3 % on one image and 0 on the other (PyTorch fp32 vs fp64: 1.5e-6, no switch).
     * A wrong backward (a replace cut out of the graph, a missing scale) is off by far more.
     */
    static final double GRADIENT_TOLERANCE = 1e-2;

    private static Path dir;

    private Fixtures() {}

    static synchronized Path dir() {
        if (dir != null) {
            return dir;
        }
        Path repo = Path.of(System.getProperty("capxai.repo", "."));
        Path reference = repo.resolve("tests/reference");
        Path out = repo.resolve("target/fixtures");
        String want = stamp(reference);
        Path stampFile = out.resolve("STAMP");
        try {
            if (!Files.exists(stampFile) || !Files.readString(stampFile).strip().equals(want)) {
                PythonReference.require("torch", "torchvision");
                Files.createDirectories(out);
                PythonReference.run("make_fixtures.py", out.toString());
                Files.writeString(stampFile, want + "\n"); // as make_fixtures.sh writes it
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + out + ": " + e.getMessage(), e);
        }
        dir = out;
        return dir;
    }

    static StateDict weights(String name) {
        return Safetensors.read(dir().resolve(name + ".weights.safetensors"));
    }

    static StateDict expected(String name) {
        return Safetensors.read(dir().resolve(name + ".expected.safetensors"));
    }

    /** Asserts same shape and max |actual - expected| <= TOLERANCE * max |expected|. */
    static void assertClose(Tensor expected, Tensor actual, String what) {
        assertArrayEquals(Tensors.shape(expected), Tensors.shape(actual), what + ": shape");
        double scale = expected.abs().max().item_double();
        double err = actual.detach().sub(expected).abs().max().item_double();
        assertTrue(scale > 0, what + ": reference is all zeros, the comparison would prove nothing");
        assertTrue(err <= TOLERANCE * scale, what + ": max abs error " + err + " vs max abs value " + scale
                + " (relative " + err / scale + " > " + TOLERANCE + ")");
    }

    /**
     * Asserts ||actual - expected|| <= tolerance * ||expected|| (L2). For input gradients: ReLU kinks and
     * max-pool ties let a few positions flip between implementations, so the max error is not meaningful.
     */
    static void assertCloseL2(Tensor expected, Tensor actual, double tolerance, String what) {
        assertArrayEquals(Tensors.shape(expected), Tensors.shape(actual), what + ": shape");
        double norm = expected.norm().item_double();
        double err = actual.detach().sub(expected).norm().item_double();
        assertTrue(norm > 0, what + ": reference is all zeros, the comparison would prove nothing");
        assertTrue(err <= tolerance * norm, what + ": L2 error " + err + " vs norm " + norm + " (relative "
                + err / norm + " > " + tolerance + ")");
    }

    /** The same digest make_fixtures.sh writes: sha256 of the two reference scripts, concatenated. */
    private static String stamp(Path reference) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(Files.readAllBytes(reference.resolve("make_fixtures.py")));
            sha.update(Files.readAllBytes(reference.resolve("clip_reference.py")));
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot read tests/reference: " + e.getMessage(), e);
        }
    }
}
