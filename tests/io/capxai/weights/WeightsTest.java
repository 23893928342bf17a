package io.capxai.weights;

import io.capxai.tensors.Tensors;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Format sniffing and the errors a user sees for bad files: each names the file and the problem. */
class WeightsTest {
    @TempDir
    Path dir;

    @Test
    void everyFormatIsRecognisedByContentNotName() throws IOException {
        for (String name : new String[] {"state_dict", "nested", "legacy", "torchscript"}) {
            Path renamed = dir.resolve(name + ".weights");
            Files.copy(ReferenceCheckpoints.file(name + ".pt"), renamed);
            ReferenceCheckpoints.assertMatches(name, Weights.load(renamed));
        }
    }

    @Test
    void safetensorsAreLoadedAsFloat32() {
        Path file = dir.resolve("w.bin");
        Tensor half = Tensors.fromFloats(new float[] {0.5f, -1.25f, 3f}, 3).to(ScalarType.Half);
        Tensor ints = Tensors.fromLongs(new long[] {4, 5}, 2);
        Safetensors.write(file, Map.of("h", half, "i", ints), Map.of("note", "x"));
        StateDict dict = Weights.load(file);
        assertEquals(ScalarType.Float.value, dict.get("h").scalar_type().value);
        assertArrayEquals(new float[] {0.5f, -1.25f, 3f}, Tensors.toFloats(dict.get("h")));
        assertEquals(ScalarType.Long.value, dict.get("i").scalar_type().value);
        assertEquals("x", dict.metadata().get("note"));
    }

    @Test
    void safetensorsWhoseHeaderLengthStartsWithThePickleByteIsNotTakenForAPickle() throws IOException {
        String json = "{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        java.nio.ByteBuffer file = java.nio.ByteBuffer.allocate(8 + 128 + 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        file.putLong(128).put((json + " ".repeat(128 - json.length())).getBytes()).putFloat(2.5f);
        Path path = Files.write(dir.resolve("x.safetensors"), file.array());
        assertEquals(Weights.Format.SAFETENSORS, Weights.detect(path));
        assertArrayEquals(new float[] {2.5f}, Tensors.toFloats(Weights.load(path).get("x")));
    }

    @Test
    void detectNamesEachFormat() {
        assertEquals(Weights.Format.TORCH_ZIP, Weights.detect(ReferenceCheckpoints.file("state_dict.pt")));
        assertEquals(Weights.Format.TORCHSCRIPT, Weights.detect(ReferenceCheckpoints.file("torchscript.pt")));
        assertEquals(Weights.Format.TORCH_LEGACY, Weights.detect(ReferenceCheckpoints.file("legacy.pt")));
    }

    @Test
    void missingFile() {
        Path missing = dir.resolve("nope.pt");
        assertMessage(missing, "not found", missing);
    }

    @Test
    void emptyAndUnknownFiles() throws IOException {
        Path empty = Files.write(dir.resolve("empty.pt"), new byte[0]);
        assertMessage(empty, "empty file", empty);
        Path text = Files.writeString(dir.resolve("notes.pt"), "hello, these are not weights");
        assertMessage(text, "unknown weight format", text);
        assertMessage(dir, "without model.json", dir);
    }

    @Test
    void truncatedFilesAreReportedNotMisread() throws IOException {
        for (String name : new String[] {"state_dict", "torchscript", "legacy"}) {
            byte[] bytes = Files.readAllBytes(ReferenceCheckpoints.file(name + ".pt"));
            Path half = Files.write(dir.resolve(name + "-half.pt"), Arrays.copyOf(bytes, bytes.length / 2));
            WeightsException e = assertThrows(WeightsException.class, () -> Weights.load(half));
            assertTrue(e.getMessage().contains(half.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("truncated"), name + ": " + e.getMessage());
        }
    }

    @Test
    void corruptZipAndWrongMagic() throws IOException {
        byte[] garbage = new byte[300];
        new java.util.Random(3).nextBytes(garbage);
        garbage[0] = 'P';
        garbage[1] = 'K';
        garbage[2] = 3;
        garbage[3] = 4;
        Path zip = Files.write(dir.resolve("corrupt.pt"), garbage);
        assertMessage(zip, "corrupt", zip);

        Path pickledInt = Files.write(dir.resolve("int.pt"), new byte[] {(byte) 0x80, 2, 'K', 5, '.'});
        assertMessage(pickledInt, "wrong magic number", pickledInt);

        Path otherZip = dir.resolve("other.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(otherZip))) {
            out.putNextEntry(new ZipEntry("readme.txt"));
            out.write("hi".getBytes());
        }
        assertMessage(otherZip, "not a PyTorch checkpoint", otherZip);
    }

    @Test
    void missingOrShortStorageAndCorruptPickleInsideAValidZip() throws IOException {
        Path noStorage = rewrite("state_dict", "no-storage.pt", (name, data) -> name.endsWith("/data/0") ? null : data);
        assertMessage(noStorage, "data/0: storage missing", noStorage);

        Path shortStorage = rewrite("state_dict", "short-storage.pt",
                (name, data) -> name.endsWith("/data/2") ? Arrays.copyOf(data, data.length - 4) : data);
        assertMessage(shortStorage, "truncated?", shortStorage);

        Path badPickle = rewrite("state_dict", "bad-pickle.pt",
                (name, data) -> name.endsWith("/data.pkl") ? Arrays.copyOf(data, 200) : data);
        assertMessage(badPickle, "pickle", badPickle);
    }

    private interface EntryEdit {
        byte[] apply(String name, byte[] data);
    }

    /** A copy of reference checkpoint {@code name} with its zip entries passed through {@code edit} (null drops one). */
    private Path rewrite(String name, String target, EntryEdit edit) throws IOException {
        Path out = dir.resolve(target);
        try (ZipFile in = new ZipFile(ReferenceCheckpoints.file(name + ".pt").toFile());
             ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
            for (ZipEntry e : Collections.list(in.entries())) {
                byte[] data = edit.apply(e.getName(), in.getInputStream(e).readAllBytes());
                if (data != null) {
                    zip.putNextEntry(new ZipEntry(e.getName()));
                    zip.write(data);
                }
            }
        }
        return out;
    }

    private static void assertMessage(Path file, String expectedPart, Path named) {
        WeightsException e = assertThrows(WeightsException.class, () -> Weights.load(file));
        assertTrue(e.getMessage().contains(expectedPart), "expected '" + expectedPart + "' in: " + e.getMessage());
        assertTrue(e.getMessage().contains(named.toString()), "expected the path in: " + e.getMessage());
    }
}
