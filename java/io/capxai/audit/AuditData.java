package io.capxai.audit;

import io.capxai.data.ColoredMnist;
import io.capxai.data.Dataset;
import io.capxai.data.ImageFolderDataset;
import io.capxai.probing.ImageLabels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        ColoredMnist.Splits splits = ColoredMnist.paper();
        if (parts.size() == 3) {
            splits = splits.grey();
        }
        ColoredMnist.Split split = switch (parts.get(1)) {
            case "train" -> splits.train();
            case "test" -> splits.test();
            case "real-world" -> splits.realWorld();
            default -> throw new IllegalArgumentException("unknown colored-MNIST split '" + parts.get(1)
                    + "' in '" + spec + "': train, test or real-world");
        };
        return new AuditData(split, labels(split));
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
