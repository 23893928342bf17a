package io.capxai.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (60,000 + 10,000 grey 28x28 clothing items, 10 classes) from the Debian package
 * {@code dataset-fashion-mnist}: gzipped IDX files under {@code /usr/share/datasets/fashion-mnist/}.
 * Where the package is not installed it is downloaded and unpacked into the cache
 * ({@link DebianPackage#FASHION_MNIST}); the system property {@code capxai.fashionMnist} names
 * another folder.
 */
public record FashionMnist(IdxDataset train, IdxDataset test) {
    public static final String PROPERTY = "capxai.fashionMnist";
    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final List<String> FILES = List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");
    public static final List<String> CLASS_NAMES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /**
     * The folder holding the four files: {@code -Dcapxai.fashionMnist}, else the system-wide
     * installation, else the cached package, which is fetched first if needed.
     */
    public static Path directory() {
        String p = System.getProperty(PROPERTY);
        if (p != null && !p.isBlank()) {
            return requireFiles(Path.of(p), "-D" + PROPERTY + " names " + p + ", which");
        }
        if (hasFiles(DEBIAN_DIR)) {
            return DEBIAN_DIR;
        }
        return cached();
    }

    /** The folder of the package unpacked in the cache, fetching it first if needed. */
    public static Path cached() {
        Path dir = DebianPackage.FASHION_MNIST.fetch().resolve(DEBIAN_DIR.toString().substring(1));
        return requireFiles(dir, "the package " + DebianPackage.FASHION_MNIST.name() + " unpacked in " + dir);
    }

    public static FashionMnist load() {
        return fromDirectory(directory());
    }

    public static FashionMnist fromDirectory(Path dir) {
        requireFiles(dir, dir.toString());
        return new FashionMnist(
                IdxDataset.read("fashion-mnist-train", dir.resolve(FILES.get(0)), dir.resolve(FILES.get(1))),
                IdxDataset.read("fashion-mnist-t10k", dir.resolve(FILES.get(2)), dir.resolve(FILES.get(3))));
    }

    private static boolean hasFiles(Path dir) {
        return FILES.stream().allMatch(f -> Files.isRegularFile(dir.resolve(f)));
    }

    private static Path requireFiles(Path dir, String what) {
        if (!hasFiles(dir)) {
            throw new MissingDataException("Fashion-MNIST: " + what + " lacks some of " + FILES
                    + "; install the Debian package dataset-fashion-mnist or let capxai fetch it (unset -D" + PROPERTY + ")");
        }
        return dir;
    }
}
