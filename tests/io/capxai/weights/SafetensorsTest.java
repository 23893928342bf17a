package io.capxai.weights;

import io.capxai.tensors.Tensors;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetensorsTest {
    @TempDir
    Path dir;

    @Test
    void roundTripKeepsValuesDtypesShapesAndMetadata() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("w", Tensors.fromFloats(new float[] {1.5f, -2f, 3f, 4f, 5f, 6f}, 2, 3).t()); // non-contiguous
        tensors.put("tokens", Tensors.fromLongs(new long[] {49406, 320, 49407}, 1, 3));
        tensors.put("half", Tensors.fromFloats(new float[] {0.5f, 0.25f}, 2).to(ScalarType.Half));
        tensors.put("scalar", Tensors.fromDoubles(new double[] {Math.PI}));
        Path file = dir.resolve("a.safetensors");
        Safetensors.write(file, tensors, Map.of("rows", "conv1,layer1.0.conv1"));

        StateDict back = Safetensors.read(file);
        assertEquals(java.util.List.of("w", "tokens", "half", "scalar"), java.util.List.copyOf(back.keys()));
        assertArrayEquals(new float[] {1.5f, 4f, -2f, 5f, 3f, 6f}, Tensors.toFloats(back.get("w", 3, 2)));
        assertArrayEquals(new long[] {49406, 320, 49407}, Tensors.toLongs(back.get("tokens")));
        assertTrue(Tensors.hasType(back.get("half"), ScalarType.Half));
        assertArrayEquals(new float[] {0.5f, 0.25f}, Tensors.toFloats(back.get("half")));
        assertEquals(Math.PI, Tensors.toDoubles(back.get("scalar"))[0]);
        assertEquals(0, back.get("scalar").dim());
        assertEquals("conv1,layer1.0.conv1", back.metadata().get("rows"));
    }

    @Test
    void readsAFileWrittenByTheFormatItself() throws IOException {
        // Hand-built file: header padded with spaces, as the safetensors library writes it.
        String json = "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}  ";
        byte[] head = json.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer buf = ByteBuffer.allocate(8 + head.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(head.length).put(head).putFloat(7f).putFloat(-1f);
        Path file = dir.resolve("b.safetensors");
        Files.write(file, buf.array());
        assertArrayEquals(new float[] {7f, -1f}, Tensors.toFloats(Safetensors.read(file).get("x")));
    }

    @Test
    void truncatedMissingAndMisShapedFilesGiveClearErrors() throws IOException {
        Path file = dir.resolve("c.safetensors");
        Safetensors.write(file, Map.of("big", torch.ones(100, 100)), Map.of());
        byte[] all = Files.readAllBytes(file);
        Path cut = dir.resolve("cut.safetensors");
        Files.write(cut, Arrays.copyOf(all, all.length / 2));
        WeightsException e = assertThrows(WeightsException.class, () -> Safetensors.read(cut));
        assertTrue(e.getMessage().contains("'big'") && e.getMessage().contains("truncated"), e.getMessage());

        Path garbage = dir.resolve("garbage.safetensors");
        Files.writeString(garbage, "this is not a weight file at all");
        assertThrows(WeightsException.class, () -> Safetensors.read(garbage));

        e = assertThrows(WeightsException.class, () -> Safetensors.read(dir.resolve("absent.safetensors")));
        assertTrue(e.getMessage().contains("not found"), e.getMessage());

        StateDict sd = Safetensors.read(file);
        e = assertThrows(WeightsException.class, () -> sd.get("big", 100, 99));
        assertTrue(e.getMessage().contains("'big'") && e.getMessage().contains("[100, 99]"), e.getMessage());
        e = assertThrows(WeightsException.class, () -> sd.get("small"));
        assertTrue(e.getMessage().contains("'small'"), e.getMessage());
    }

    @Test
    void stateDictPrefixViewsAndUnusedKeys() {
        StateDict sd = new StateDict(Map.of("visual.conv1.weight", torch.ones(1), "visual.proj", torch.ones(1),
                "text_projection", torch.ones(1)));
        StateDict visual = sd.withPrefix("visual.");
        assertEquals(2, visual.size());
        visual.get("conv1.weight");
        WeightsException e = assertThrows(WeightsException.class, visual::requireAllUsed);
        assertTrue(e.getMessage().contains("visual.proj") && !e.getMessage().contains("text_projection"), e.getMessage());
        visual.get("proj");
        visual.requireAllUsed();
    }
}
