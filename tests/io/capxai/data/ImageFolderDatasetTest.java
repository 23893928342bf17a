package io.capxai.data;

import io.capxai.tensors.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageFolderDatasetTest {
    @TempDir
    Path dir;

    private static RgbImage pattern(int h, int w, int seed) {
        RgbImage img = RgbImage.black(h, w);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    img.set(y, x, c, (seed * 31 + y * 7 + x * 13 + c * 50) & 0xff);
                }
            }
        }
        return img;
    }

    private static void save(RgbImage img, Path file, String format) throws IOException {
        Files.createDirectories(file.getParent());
        assertTrue(ImageIO.write(img.toBufferedImage(), format, file.toFile()));
    }

    @Test
    void classFoldersGiveSortedLabels() throws IOException {
        save(pattern(8, 6, 1), dir.resolve("zebra/a.png"), "png");
        save(pattern(8, 6, 2), dir.resolve("apple/b.png"), "png");
        save(pattern(8, 6, 3), dir.resolve("apple/nested/c.PNG"), "png");
        save(pattern(16, 16, 4), dir.resolve("zebra/d.jpg"), "jpg");
        Files.writeString(dir.resolve("apple/notes.txt"), "not an image");
        ImageFolderDataset ds = ImageFolderDataset.open(dir);
        assertEquals(List.of("apple", "zebra"), ds.classNames());
        assertEquals(4, ds.size());
        assertTrue(ds.isLabelled());
        assertEquals(0, ds.label(0));
        assertEquals(0, ds.label(1));
        assertEquals(1, ds.label(2));
        assertEquals(1, ds.label(3));
        // PNG is lossless: pixels round-trip exactly
        assertArrayEquals(pattern(8, 6, 2).pixels(), ds.image(0).pixels());
        assertArrayEquals(pattern(8, 6, 1).pixels(), ds.image(2).pixels());
        RgbImage jpeg = ds.image(3);
        assertEquals(16, jpeg.height());
        Batch b = Batches.batchOf(ds, ClipPreprocess.clip(32), new int[] {0, 3});
        assertArrayEquals(new long[] {2, 3, 32, 32}, Tensors.shape(b.images()));
        assertArrayEquals(new long[] {0, 1}, b.labels());
    }

    @Test
    void flatFolderIsUnlabelled() throws IOException {
        save(pattern(5, 5, 1), dir.resolve("x.png"), "png");
        save(pattern(5, 5, 2), dir.resolve("y.jpeg"), "jpg");
        ImageFolderDataset ds = ImageFolderDataset.open(dir);
        assertFalse(ds.isLabelled());
        assertEquals(2, ds.size());
        assertEquals(Dataset.UNLABELLED, ds.label(1));
        assertEquals(List.of(), ds.classNames());
    }

    @Test
    void badFoldersAndFilesGiveClearErrors() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageFolderDataset.open(dir.resolve("missing")));
        assertTrue(e.getMessage().contains("not found"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ImageFolderDataset.open(dir));
        assertTrue(e.getMessage().contains("no images"), e.getMessage());

        Path corrupt = dir.resolve("broken.png");
        Files.write(corrupt, new byte[] {1, 2, 3, 4, 5});
        ImageFolderDataset ds = ImageFolderDataset.open(dir);
        e = assertThrows(IllegalArgumentException.class, () -> ds.image(0));
        assertTrue(e.getMessage().contains("broken.png"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> ds.image(1));
    }

    @Test
    void readsRealPhotosWhenInstalled() {
        Path orange = io.capxai.testing.ExternalData.opencvPhotos().resolve("orange.jpg");
        RgbImage img = ImageFolderDataset.read(orange);
        assertTrue(img.height() > 100 && img.width() > 100);
        // an orange: red channel dominates blue on average
        long r = 0;
        long b = 0;
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                r += img.get(y, x, 0);
                b += img.get(y, x, 2);
            }
        }
        assertTrue(r > b, "red " + r + " vs blue " + b);
    }
}
