package io.capxai.data;

import io.capxai.tensors.CacheDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Files of a Debian package unpacked into the project cache without installing it (and without
 * its dependencies, so no root is needed): {@code apt-get download NAME}, which checks the file
 * against the signed archive index, then {@code dpkg -x} into {@code CACHE/debian/NAME/}. Used for
 * data-only packages such as darknet's ImageNet class lists and Fashion-MNIST.
 */
public record DebianPackage(String name) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9.+-]+");

    /** darknet: {@code usr/share/darknet/data/imagenet.labels.list} (WordNet ids) and photos. */
    public static final DebianPackage DARKNET = new DebianPackage("darknet");
    /** Fashion-MNIST: gzipped IDX files under {@code usr/share/datasets/fashion-mnist/} (30 MB). */
    public static final DebianPackage FASHION_MNIST = new DebianPackage("dataset-fashion-mnist");

    public DebianPackage {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a Debian package name: " + name);
        }
    }

    public Path dir() {
        return CacheDir.resolve("debian", name);
    }

    public boolean isCached() {
        return PackageCache.isComplete(dir());
    }

    /** Downloads and unpacks the package once; later calls return the cached folder. */
    public Path fetch() {
        String what = "Debian package " + name;
        return PackageCache.fetch(dir(), what, (work, target) -> {
            PackageCache.run(work, what, "fetching needs Debian's apt-get (or install the package: apt-get install " + name + ")",
                    List.of("apt-get", "download", name));
            Path deb = PackageCache.onlyFile(work, ".deb", "apt-get download " + name);
            PackageCache.run(work, what, "install dpkg", List.of("dpkg", "-x", deb.toString(), target.toString()));
            return deb.getFileName().toString();
        });
    }

    /** A file inside the unpacked package, fetching it first. */
    public Path file(String relative) {
        Path f = fetch().resolve(relative).normalize();
        if (!f.startsWith(dir()) || !Files.exists(f)) {
            throw new MissingDataException("Debian package " + name + " has no " + relative + " (looked in " + dir() + ")");
        }
        return f;
    }
}
