package io.capxai.data;

import io.capxai.tensors.CacheDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Files of a Debian package unpacked into the project cache without installing it (and without
 * its dependencies): {@code apt-get download NAME}, then {@code dpkg -x} into
 * {@code CACHE/debian/NAME/}. Used for data-only packages such as darknet's ImageNet class lists.
 */
public record DebianPackage(String name) {
    private static final String DONE_MARKER = ".capxai-complete";

    /** darknet: {@code usr/share/darknet/data/imagenet.labels.list} (WordNet ids) and photos. */
    public static final DebianPackage DARKNET = new DebianPackage("darknet");

    public Path dir() {
        return CacheDir.resolve("debian", name);
    }

    /** Downloads and unpacks the package once; later calls return the cached folder. */
    public Path fetch() {
        Path dir = dir();
        if (Files.isRegularFile(dir.resolve(DONE_MARKER))) {
            return dir;
        }
        try {
            Path work = Files.createTempDirectory("capxai-deb");
            run(work, "apt-get", "download", name);
            Path deb;
            try (var files = Files.list(work)) {
                deb = files.filter(f -> f.getFileName().toString().endsWith(".deb")).findFirst()
                        .orElseThrow(() -> new IllegalStateException("apt-get download " + name + " produced no .deb in " + work));
            }
            System.err.println("capxai: unpacking " + deb.getFileName() + " into " + dir);
            Files.createDirectories(dir);
            run(work, "dpkg", "-x", deb.toString(), dir.toString());
            Files.writeString(dir.resolve(DONE_MARKER), deb.getFileName().toString() + "\n");
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fetch Debian package " + name + ": " + e.getMessage(), e);
        }
    }

    /** A file inside the unpacked package, fetching it first. */
    public Path file(String relative) {
        Path f = fetch().resolve(relative);
        if (!Files.exists(f)) {
            throw new IllegalStateException("Debian package " + name + " has no " + relative);
        }
        return f;
    }

    private static void run(Path dir, String... cmd) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException(cmd[0] + " is not available (needed for Debian package data): " + e.getMessage(), e);
        }
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", List.of(cmd)) + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", cmd), e);
        }
    }
}
