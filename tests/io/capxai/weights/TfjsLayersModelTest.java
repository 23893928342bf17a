package io.capxai.weights;

import io.capxai.tensors.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A small TF.js layers model written here: exact layout checks without any download. */
class TfjsLayersModelTest {
    @TempDir
    Path dir;

    private static final String MANIFEST = """
            {"format": "layers-model", "generatedBy": "keras v2.2.4-tf", "convertedBy": "test",
             "modelTopology": {"keras_version": "2.2.4-tf"},
             "weightsManifest": [{"paths": ["group1-shard1of2.bin", "group1-shard2of2.bin"], "weights": [
               {"name": "conv/kernel", "shape": [2, 3, 4, 5], "dtype": "float32"},
               {"name": "conv/bias", "shape": [5], "dtype": "float32"},
               {"name": "dense/kernel", "shape": [6, 7], "dtype": "float32"},
               {"name": "bn/gamma", "shape": [5], "dtype": "float32"},
               {"name": "bn/moving_variance", "shape": [5], "dtype": "float32"}]}]}
            """;
    private static final int VALUES = 2 * 3 * 4 * 5 + 5 + 6 * 7 + 5 + 5;

    /** Values 0, 1, 2, ... back to back, split over two shards at an odd byte. */
    private Path writeModel(String manifest, int dropBytes) throws IOException {
        ByteBuffer all = ByteBuffer.allocate(VALUES * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < VALUES; i++) {
            all.putFloat(i);
        }
        byte[] bytes = all.array();
        int split = 37;
        Files.write(dir.resolve("group1-shard1of2.bin"), Arrays.copyOfRange(bytes, 0, split));
        Files.write(dir.resolve("group1-shard2of2.bin"), Arrays.copyOfRange(bytes, split, bytes.length - dropBytes));
        Path json = dir.resolve("model.json");
        Files.writeString(json, manifest);
        return json;
    }

    @Test
    void kerasTensorsKeepManifestOrderAndTensorFlowLayout() throws IOException {
        var keras = TfjsLayersModel.readKeras(writeModel(MANIFEST, 0));
        assertEquals(java.util.List.of("conv/kernel", "conv/bias", "dense/kernel", "bn/gamma", "bn/moving_variance"),
                java.util.List.copyOf(keras.keySet()));
        assertArrayEquals(new long[] {2, 3, 4, 5}, Tensors.shape(keras.get("conv/kernel")));
        assertEquals(120.0, Tensors.toFloats(keras.get("conv/bias"))[0], 0.0); // crosses the shard boundary region
    }

    @Test
    void kernelsAreConvertedToPyTorchLayoutAndNames() throws IOException {
        StateDict dict = Weights.load(writeModel(MANIFEST, 0).getParent());
        float[] conv = Tensors.toFloats(dict.get("conv.weight", 5, 4, 2, 3)); // [out, in, h, w]
        for (int o = 0; o < 5; o++) {
            for (int i = 0; i < 4; i++) {
                for (int h = 0; h < 2; h++) {
                    for (int w = 0; w < 3; w++) {
                        float kerasIndex = ((h * 3 + w) * 4 + i) * 5 + o; // value = position in [h, w, in, out]
                        assertEquals(kerasIndex, conv[((o * 4 + i) * 2 + h) * 3 + w], 0.0f);
                    }
                }
            }
        }
        float[] dense = Tensors.toFloats(dict.get("dense.weight", 7, 6)); // [out, in]
        for (int out = 0; out < 7; out++) {
            for (int in = 0; in < 6; in++) {
                assertEquals(125 + in * 7 + out, dense[out * 6 + in], 0.0f);
            }
        }
        assertArrayEquals(new float[] {120, 121, 122, 123, 124}, Tensors.toFloats(dict.get("conv.bias", 5)));
        assertArrayEquals(new float[] {167, 168, 169, 170, 171}, Tensors.toFloats(dict.get("bn.weight", 5)));
        assertEquals(172.0f, Tensors.toFloats(dict.get("bn.running_var", 5))[0]);
        assertEquals("keras v2.2.4-tf", dict.metadata().get("source.generated_by"));
    }

    @Test
    void truncatedShardIsReportedNotMisread() throws IOException {
        Path json = writeModel(MANIFEST, 3);
        WeightsException e = assertThrows(WeightsException.class, () -> Weights.load(json));
        assertTrue(e.getMessage().contains("truncated or mismatched shards"), e.getMessage());
        assertTrue(e.getMessage().contains(json.toString()), e.getMessage());
    }

    @Test
    void missingShardAndEscapingPathsAreRejected() throws IOException {
        Path json = writeModel(MANIFEST, 0);
        Files.delete(dir.resolve("group1-shard2of2.bin"));
        WeightsException missing = assertThrows(WeightsException.class, () -> Weights.load(json));
        assertTrue(missing.getMessage().contains("group1-shard2of2.bin not found"), missing.getMessage());

        Files.writeString(json, MANIFEST.replace("\"group1-shard2of2.bin\"", "\"../../etc/passwd\""));
        WeightsException escaping = assertThrows(WeightsException.class, () -> Weights.load(json));
        assertTrue(escaping.getMessage().contains("plain file name"), escaping.getMessage());
    }

    @Test
    void manifestWithoutWeightsIsNotAModel() throws IOException {
        Path json = dir.resolve("model.json");
        Files.writeString(json, "{\"format\": \"layers-model\"}");
        WeightsException e = assertThrows(WeightsException.class, () -> Weights.load(json));
        assertTrue(e.getMessage().contains("no weightsManifest"), e.getMessage());
        Files.writeString(json, "{\"weightsManifest\": [");
        assertThrows(WeightsException.class, () -> Weights.load(json));
    }
}
