package io.capxai.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (60,000 + 10,000 grey 28x28 clothing items, 10 classes) from the Debian package
 * {@code dataset-fashion-mnist}: gzipped IDX files under {@code /usr/share/datasets/fashion-mnist/}
 * (override with the system property {@code capxai.fashionMnist}).
 */
public record FashionMnist(IdxDataset train, IdxDataset test) {
    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final List<String> CLASS_NAMES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    public static Path defaultDirectory() {
        String p = System.getProperty("capxai.fashionMnist");
        return p != null && !p.isBlank() ? Path.of(p) : DEBIAN_DIR;
    }

    public static boolean isInstalled() {
        return Files.isRegularFile(defaultDirectory().resolve("t10k-images-idx3-ubyte.gz"));
    }

    public static FashionMnist load() {
        return fromDirectory(defaultDirectory());
    }

    public static FashionMnist fromDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("Fashion-MNIST not found at " + dir
                    + "; install the Debian package dataset-fashion-mnist or set -Dcapxai.fashionMnist=DIR");
        }
        return new FashionMnist(
                IdxDataset.read("fashion-mnist-train", dir.resolve("train-images-idx3-ubyte.gz"),
                        dir.resolve("train-labels-idx1-ubyte.gz")),
                IdxDataset.read("fashion-mnist-t10k", dir.resolve("t10k-images-idx3-ubyte.gz"),
                        dir.resolve("t10k-labels-idx1-ubyte.gz")));
    }
}
