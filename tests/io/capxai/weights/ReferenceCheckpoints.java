package io.capxai.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capxai.tensors.Tensors;
import io.capxai.testing.PythonReference;
import org.bytedeco.pytorch.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checkpoints written by PyTorch itself ({@code tests/reference/weights/make_checkpoints.py},
 * run once per test JVM with Debian's python3-torch) and their expected values. Tests that need
 * them are skipped, with the reason, where that Python is missing (and fail under CI).
 */
final class ReferenceCheckpoints {
    private static Path dir;

    private ReferenceCheckpoints() {}

    /** The folder holding NAME.pt and NAME.expected.json, made on first use. */
    static synchronized Path dir() {
        if (dir == null) {
            PythonReference.require("torch");
            try {
                Path out = Files.createTempDirectory("capxai-weights-ref");
                PythonReference.run("weights/make_checkpoints.py", out.toString());
                dir = out;
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        return dir;
    }

    static Path file(String name) {
        return dir().resolve(name);
    }

    /** Expected tensors of NAME.pt: key -> (shape, values as written by torch, float32 or int64). */
    static Map<String, Expected> expected(String name) {
        try {
            JsonNode root = new ObjectMapper().readTree(file(name + ".expected.json").toFile());
            Map<String, Expected> out = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : root.properties()) {
                JsonNode shape = e.getValue().get("shape");
                JsonNode values = e.getValue().get("values");
                long[] s = new long[shape.size()];
                for (int i = 0; i < s.length; i++) {
                    s[i] = shape.get(i).asLong();
                }
                double[] v = new double[values.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = values.get(i).asDouble();
                }
                out.put(e.getKey(), new Expected(s, v, e.getValue().get("dtype").asText()));
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    record Expected(long[] shape, double[] values, String torchDtype) {
        boolean floating() {
            return torchDtype.contains("float");
        }
    }

    /** Asserts that {@code dict} holds exactly the expected keys, shapes, dtypes and values (bit-exact). */
    static void assertMatches(String name, StateDict dict) {
        Map<String, Expected> expected = expected(name);
        assertEquals(expected.keySet(), dict.keys(), name + ": keys");
        for (Map.Entry<String, Expected> e : expected.entrySet()) {
            Tensor t = dict.get(e.getKey());
            Expected x = e.getValue();
            assertArrayEquals(x.shape(), Tensors.shape(t), name + ": shape of " + e.getKey());
            assertTrue(t.is_contiguous(), name + ": " + e.getKey() + " is contiguous");
            if (x.floating()) {
                assertEquals(org.bytedeco.pytorch.global.torch.ScalarType.Float.value, t.scalar_type().value,
                        name + ": " + e.getKey() + " converted to float32");
            }
            assertArrayEquals(x.values(), Tensors.toDoubles(t), 0.0, name + ": values of " + e.getKey());
        }
    }
}
