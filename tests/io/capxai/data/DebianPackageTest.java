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

/** Debian packages fetched for real from the configured mirror (skipped, or failed under CI, without apt-get). */
class DebianPackageTest {
    private static final boolean APT = Files.isExecutable(Path.of("/usr/bin/apt-get"));

    @TempDir
    Path cache;

    @AfterEach
    void restore() {
        System.clearProperty(CacheDir.PROPERTY);
    }

    @Test
    void downloadsAndUnpacksWithoutInstalling() throws IOException {
        Requirements.assumeOrFailInCi(APT, "apt-get is not available: Debian packages cannot be fetched here");
        System.setProperty(CacheDir.PROPERTY, cache.toString());
        DebianPackage hello = new DebianPackage("hello"); // 53 kB
        assertFalse(hello.isCached());
        Path dir = Requirements.fetched(hello::fetch);
        assertEquals(cache.resolve("debian/hello"), dir);
        assertTrue(hello.isCached());
        assertTrue(Files.size(hello.file("usr/bin/hello")) > 10_000);
        assertTrue(Files.readString(dir.resolve(PackageCache.DONE_MARKER)).startsWith("hello_"), "marker names the .deb");
        assertThrows(MissingDataException.class, () -> hello.file("usr/bin/missing"));
        try (var s = Files.list(cache.resolve("debian"))) {
            assertEquals(1, s.count(), "no scratch folders left behind");
        }
    }

    @Test
    void anUnknownPackageIsAClearError() {
        Requirements.assumeOrFailInCi(APT, "apt-get is not available: Debian packages cannot be fetched here");
        System.setProperty(CacheDir.PROPERTY, cache.toString());
        DebianPackage none = new DebianPackage("capxai-no-such-package");
        MissingDataException e = assertThrows(MissingDataException.class, none::fetch);
        assertTrue(e.getMessage().contains("apt-get download capxai-no-such-package failed"), e.getMessage());
        assertFalse(none.isCached());
    }

    @Test
    void badNamesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new DebianPackage("a b"));
        assertThrows(IllegalArgumentException.class, () -> new DebianPackage("-x"));
        assertThrows(IllegalArgumentException.class, () -> new DebianPackage("x;rm"));
    }

    /** The package the demo needs, fetched into the real cache (30 MB once), equal to a system-wide install. */
    @Test
    void fashionMnistComesIntoTheCache() throws IOException {
        Path dir = Requirements.fetched(FashionMnist::cached);
        assertTrue(dir.startsWith(CacheDir.root()), dir.toString());
        FashionMnist f = FashionMnist.fromDirectory(dir);
        assertEquals(60000, f.train().size());
        assertEquals(10000, f.test().size());
        if (Files.isDirectory(FashionMnist.DEBIAN_DIR)) {
            for (String name : FashionMnist.FILES) {
                assertEquals(Checksums.md5Hex(FashionMnist.DEBIAN_DIR.resolve(name)), Checksums.md5Hex(dir.resolve(name)), name);
            }
        }
    }
}
