package io.capxai.audit;

import io.capxai.data.ColoredMnist;
import io.capxai.data.Dataset;
import io.capxai.data.ImageFolderDataset;
import io.capxai.data.Mnist;
import io.capxai.probing.ImageLabels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dataset named on the command line, with the true label of every image per caption concept:
 * <ul>
 *   <li>{@code colored-mnist:train|test|real-world[:grey]}: the paper's splits (docs/method.md#the-colored-mnist-experiment), labelled
 *       {@code shape} (5 or 8) and {@code colour} (red, green or grey);</li>
 *   <li>{@code colored-mnist:balanced-stats|probe}: the balanced splits for the verdict
 *       ({@link ColoredMnist#balanced}: every digit in red and in green equally often, disjoint from
 *       each other and from training; {@value ColoredMnist#BALANCED_PER_DIGIT} images per digit);</li>
 *   <li>a folder of images (sub-folders or flat) with a {@code labels.csv}: a header
 *       {@code file,<concept>,<concept>...}, then one row per image, file relative to the folder.</li>
 * </ul>
 */
public record AuditData(Dataset dataset, ImageLabels labels) {
    public static AuditData parse(String spec) {
        if (spec.startsWith("colored-mnist:")) {
            return coloredMnist(spec);
        }
        return folder(Path.of(spec));
    }

    /** Shape and colour labels of a colored-MNIST split, as the paper's captions name them. */
    public static ImageLabels labels(ColoredMnist.Split split) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 0; i < split.size(); i++) {
            rows.add(Map.of("shape", Integer.toString(split.digit(i)), "colour", split.colour(i).name().toLowerCase()));
        }
        return ImageLabels.of(List.of("shape", "colour"), rows);
    }

    private static AuditData coloredMnist(String spec) {
        List<String> parts = Arrays.asList(spec.split(":"));
        if (parts.size() < 2 || parts.size() > 3 || (parts.size() == 3 && !parts.get(2).equals("grey"))) {
            throw new IllegalArgumentException("expected colored-mnist:train|test|real-world[:grey], got '" + spec + "'");
        }
        Mnist mnist = Mnist.load();
        ColoredMnist.Split split = switch (parts.get(1)) {
            case "train" -> ColoredMnist.build(mnist, ColoredMnist.Config.paper()).train();
            case "test" -> ColoredMnist.build(mnist, ColoredMnist.Config.paper()).test();
            case "real-world" -> ColoredMnist.build(mnist, ColoredMnist.Config.paper()).realWorld();
            case "balanced-stats" -> balanced(mnist).statistics();
            case "probe" -> balanced(mnist).probe();
            default -> throw new IllegalArgumentException("unknown colored-MNIST split '" + parts.get(1)
                    + "' in '" + spec + "': train, test, real-world, balanced-stats or probe");
        };
        if (parts.size() == 3) {
            split = split.grey();
        }
        return new AuditData(split, labels(split));
    }

    private static ColoredMnist.Balanced balanced(Mnist mnist) {
        return ColoredMnist.balanced(mnist, ColoredMnist.Config.paper(), ColoredMnist.BALANCED_PER_DIGIT,
                ColoredMnist.BALANCED_PER_DIGIT);
    }

    /**
     * What makes two images the same for the same-split guard: for colored MNIST the MNIST source
     * image (whatever its colour), for a folder the SHA-256 of the file's bytes (a copied folder
     * holds the same images).
     */
    public Set<String> imageIds() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < dataset.size(); i++) {
            ids.add(imageId(i));
        }
        return ids;
    }

    private String imageId(int i) {
        if (dataset instanceof ColoredMnist.Split split) {
            ColoredMnist.Sample s = split.sample(i);
            return "mnist-" + s.source().name().toLowerCase() + ":" + s.sourceIndex();
        }
        if (dataset instanceof ImageFolderDataset folder) {
            return "sha256:" + fileDigest(folder.file(i));
        }
        return dataset.name() + ":" + i;
    }

    /**
     * Null when {@code statistics} and {@code evaluation} share no image; else a message saying how
     * many they share (the statistics would be fit on the images the verdict judges, docs/method.md#defects-of-the-reference-code).
     */
    public static String sharedImages(String statisticsSpec, AuditData statistics, String evaluationSpec, AuditData evaluation) {
        Set<String> stats = statistics.imageIds();
        Set<String> eval = evaluation.imageIds();
        long shared = eval.stream().filter(stats::contains).count();
        if (shared == 0) {
            return null;
        }
        return "--stats " + statisticsSpec + " and --eval " + evaluationSpec + " share " + shared + " of the " + eval.size()
                + " evaluated images: the surgery would be fit on the images it is judged on (docs/method.md#defects-of-the-reference-code)."
                + " Use disjoint splits (for colored MNIST: --stats colored-mnist:balanced-stats --eval colored-mnist:probe),"
                + " or --allow-same-split to do it on purpose";
    }

    /**
     * A digest of the images (ids, in order) and their labels: with the CLIP model's, it names the
     * data of a control run in the cache.
     */
    public String fingerprint() {
        StringBuilder text = new StringBuilder(dataset.name()).append('|').append(labels.concepts());
        for (int i = 0; i < dataset.size(); i++) {
            text.append('|').append(imageId(i)).append('=').append(String.join(",", labels.labels()[i]));
            if (dataset instanceof ColoredMnist.Split split) {
                text.append(',').append(split.colour(i));
            }
        }
        return HexFormat.of().formatHex(sha256().digest(text.toString().getBytes(StandardCharsets.UTF_8))).substring(0, 16);
    }

    /** The first 16 hex digits of the SHA-256 of a file's bytes, read in chunks (weight files can be large). */
    public static String fileDigest(Path file) {
        MessageDigest sha = sha256();
        try (var in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static AuditData folder(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("dataset '" + dir + "' is neither colored-mnist:<split> nor a folder");
        }
        Path csv = dir.resolve("labels.csv");
        if (!Files.isRegularFile(csv)) {
            throw new IllegalArgumentException(dir + ": no labels.csv (header: file,<concept>,...) naming each image's labels");
        }
        ImageFolderDataset images = ImageFolderDataset.open(dir);
        List<String> lines;
        try {
            lines = Files.readAllLines(csv).stream().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + csv, e);
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(csv + " is empty");
        }
        String[] header = lines.getFirst().split(",");
        if (header.length < 2 || !header[0].strip().equals("file")) {
            throw new IllegalArgumentException(csv + ": the header must be file,<concept>,..., got '" + lines.getFirst() + "'");
        }
        List<String> concepts = Arrays.stream(header).skip(1).map(String::strip).toList();
        Map<String, Map<String, String>> byFile = new HashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",");
            if (cells.length != header.length) {
                throw new IllegalArgumentException(csv + " line " + (i + 1) + ": " + cells.length + " cells, header has " + header.length);
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < concepts.size(); c++) {
                row.put(concepts.get(c), cells[c + 1].strip());
            }
            byFile.put(cells[0].strip(), row);
        }
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            String file = dir.relativize(images.file(i)).toString();
            Map<String, String> row = byFile.get(file);
            if (row == null) {
                throw new IllegalArgumentException(csv + " has no row for image " + file);
            }
            rows.add(row);
        }
        return new AuditData(images, ImageLabels.of(concepts, rows));
    }
}
