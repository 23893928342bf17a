package io.capxai.data;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Users' own images from a folder, read with ImageIO (PNG, JPEG, BMP, GIF).
 * <ul>
 *   <li>With sub-folders: each sub-folder is a class (sorted by name, as torchvision's
 *       ImageFolder), its images (searched recursively) are labelled with it.</li>
 *   <li>Without sub-folders: a flat, unlabelled folder.</li>
 * </ul>
 * Files are listed once, sorted by path; images are decoded when asked for.
 */
public final class ImageFolderDataset implements Dataset {
    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

    private final Path root;
    private final List<Path> files;
    private final int[] labels;
    private final List<String> classNames;

    private ImageFolderDataset(Path root, List<Path> files, int[] labels, List<String> classNames) {
        this.root = root;
        this.files = files;
        this.labels = labels;
        this.classNames = classNames;
    }

    public static ImageFolderDataset open(Path root) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("image folder not found or not a directory: " + root);
        }
        List<Path> classDirs;
        try (Stream<Path> s = Files.list(root)) {
            classDirs = s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list image folder " + root, e);
        }
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<String> classNames = new ArrayList<>();
        if (classDirs.isEmpty()) {
            files.addAll(imagesIn(root, false));
            files.forEach(f -> labels.add(UNLABELLED));
        } else {
            for (Path dir : classDirs) {
                List<Path> inClass = imagesIn(dir, true);
                classNames.add(dir.getFileName().toString());
                files.addAll(inClass);
                inClass.forEach(f -> labels.add(classNames.size() - 1));
            }
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no images (" + String.join(", ", EXTENSIONS) + ") in " + root);
        }
        return new ImageFolderDataset(root, List.copyOf(files), labels.stream().mapToInt(Integer::intValue).toArray(),
                List.copyOf(classNames));
    }

    private static List<Path> imagesIn(Path dir, boolean recursive) {
        try (Stream<Path> s = recursive ? Files.walk(dir) : Files.list(dir)) {
            return s.filter(Files::isRegularFile).filter(ImageFolderDataset::isImage).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return !n.startsWith(".") && EXTENSIONS.stream().anyMatch(n::endsWith);
    }

    @Override
    public String name() {
        return "image-folder " + root;
    }

    @Override
    public int size() {
        return files.size();
    }

    public Path file(int index) {
        checkIndex(index);
        return files.get(index);
    }

    public boolean isLabelled() {
        return !classNames.isEmpty();
    }

    @Override
    public RgbImage image(int index) {
        return read(file(index));
    }

    /** Reads one image file as RGB, with a clear error for unreadable files. */
    public static RgbImage read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("image not found: " + file);
        }
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot decode image " + file + ": " + e.getMessage(), e);
        }
        if (img == null) {
            throw new IllegalArgumentException("cannot decode image " + file + ": not a format ImageIO can read");
        }
        return RgbImage.of(img);
    }

    @Override
    public int label(int index) {
        checkIndex(index);
        return labels[index];
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }
}
