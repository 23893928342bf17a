package io.capxai.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TarReaderTest {
    @TempDir
    Path dir;

    /** One ustar entry: header + data padded to 512. */
    private static void entry(ByteArrayOutputStream out, String name, char type, byte[] data) {
        byte[] h = new byte[512];
        put(h, 0, name);
        put(h, 100, "0000644");
        put(h, 124, String.format("%011o", data.length));
        put(h, 136, "00000000000");
        h[156] = (byte) type;
        put(h, 257, "ustar");
        h[262] = 0;
        put(h, 263, "00");
        Arrays.fill(h, 148, 156, (byte) ' ');
        int sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
        out.writeBytes(h);
        out.writeBytes(data);
        out.writeBytes(new byte[(512 - data.length % 512) % 512]);
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }

    @Test
    void extractsFilesAndLongNames() throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        entry(tar, "package/", '5', new byte[0]);
        entry(tar, "package/a.txt", '0', "hello".getBytes(StandardCharsets.UTF_8));
        String longName = "package/" + "x".repeat(150) + ".bin";
        entry(tar, "././@LongLink", 'L', (longName + "\0").getBytes(StandardCharsets.UTF_8));
        entry(tar, "truncated-name", '0', new byte[700]);
        tar.writeBytes(new byte[1024]);
        int n = TarReader.extract(new ByteArrayInputStream(tar.toByteArray()), dir, "test.tar");
        assertEquals(2, n);
        assertEquals("hello", Files.readString(dir.resolve("package/a.txt")));
        assertEquals(700, Files.size(dir.resolve(longName)));
    }

    @Test
    void rejectsPathTraversal() {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        entry(tar, "../escape.txt", '0', "x".getBytes(StandardCharsets.UTF_8));
        tar.writeBytes(new byte[1024]);
        IOException e = assertThrows(IOException.class,
                () -> TarReader.extract(new ByteArrayInputStream(tar.toByteArray()), dir.resolve("t"), "evil.tar"));
        assertTrue(e.getMessage().contains("escape"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("escape.txt")));
    }

    @Test
    void rejectsTruncatedAndCorruptArchives() {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        entry(tar, "a.bin", '0', new byte[2000]);
        byte[] full = tar.toByteArray();
        assertThrows(IOException.class, () -> TarReader.extract(
                new ByteArrayInputStream(Arrays.copyOf(full, 1000)), dir.resolve("t1"), "cut.tar"));
        byte[] corrupt = full.clone();
        corrupt[10] ^= 1; // breaks the header checksum
        IOException e = assertThrows(IOException.class, () -> TarReader.extract(
                new ByteArrayInputStream(corrupt), dir.resolve("t2"), "corrupt.tar"));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void notGzipIsAClearError() throws IOException {
        Path notGz = dir.resolve("x.tgz");
        Files.writeString(notGz, "plain text");
        IOException e = assertThrows(IOException.class, () -> TarReader.extractTarGz(notGz, dir.resolve("out")));
        assertTrue(e.getMessage().contains("not a gzip"), e.getMessage());
    }
}
