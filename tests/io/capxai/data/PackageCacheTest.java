package io.capxai.data;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared fetch mechanism on archives written here; NpmPackageTest and DebianPackageTest run it on real packages. */
class PackageCacheTest {
    @TempDir
    Path dir;

    private Path tgz(String name, Map<String, String> files) throws IOException {
        Path out = dir.resolve(name);
        try (OutputStream os = Files.newOutputStream(out);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(os))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
            for (Map.Entry<String, String> f : files.entrySet()) {
                byte[] data = f.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry(f.getKey());
                e.setSize(data.length);
                tar.putArchiveEntry(e);
                tar.write(data);
                tar.closeArchiveEntry();
            }
        }
        return out;
    }

    @Test
    void extractsFilesWithLongNames() throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("package/a.txt", "hello");
        String longName = "package/" + "x".repeat(150) + ".bin";
        files.put(longName, "long");
        assertEquals(2, PackageCache.extractTarGz(tgz("ok.tgz", files), dir.resolve("out")));
        assertEquals("hello", Files.readString(dir.resolve("out/package/a.txt")));
        assertEquals("long", Files.readString(dir.resolve("out").resolve(longName)));
    }

    @Test
    void refusesEntriesOutsideTheTarget() throws IOException {
        Path evil = tgz("evil.tgz", Map.of("../escape.txt", "x"));
        IOException e = assertThrows(IOException.class, () -> PackageCache.extractTarGz(evil, dir.resolve("t")));
        assertTrue(e.getMessage().contains("escape"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("escape.txt")));
    }

    @Test
    void notGzipIsAClearError() throws IOException {
        Path notGz = dir.resolve("x.tgz");
        Files.writeString(notGz, "plain text");
        IOException e = assertThrows(IOException.class, () -> PackageCache.extractTarGz(notGz, dir.resolve("out")));
        assertTrue(e.getMessage().contains("not a gzip"), e.getMessage());
    }

    @Test
    void aFailedUnpackLeavesNothingThatLooksComplete() {
        Path target = dir.resolve("cache/pkg");
        MissingDataException e = assertThrows(MissingDataException.class, () -> PackageCache.fetch(target, "test package",
                (work, t) -> {
                    Files.createDirectories(t);
                    Files.writeString(t.resolve("half.txt"), "half");
                    throw new IOException("network gone");
                }));
        assertTrue(e.getMessage().contains("cannot fetch test package: network gone"), e.getMessage());
        assertFalse(PackageCache.isComplete(target));
        assertFalse(Files.exists(target));
        Path done = PackageCache.fetch(target, "test package", (work, t) -> {
            Files.createDirectories(t);
            Files.writeString(t.resolve("whole.txt"), "whole");
            return "stamp";
        });
        assertEquals("stamp\n", readQuietly(done.resolve(PackageCache.DONE_MARKER)));
        // complete now: the unpacker is not called again
        assertEquals(done, PackageCache.fetch(target, "test package", (work, t) -> {
            throw new AssertionError("fetched twice");
        }));
        assertEquals(1, dir.resolve("cache").toFile().list().length, "no scratch folders left behind");
    }

    @Test
    void aMissingToolIsNamedWithItsInstallCommand() {
        MissingDataException e = assertThrows(MissingDataException.class, () -> PackageCache.run(dir, "test package",
                "apt-get install nothing-here", java.util.List.of("/nonexistent/tool", "x")));
        assertTrue(e.getMessage().startsWith("/nonexistent/tool is needed to fetch test package"), e.getMessage());
        assertTrue(e.getMessage().endsWith("apt-get install nothing-here"), e.getMessage());
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
