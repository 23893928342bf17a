package io.capxai.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reader for the IDX format of MNIST and Fashion-MNIST, raw or gzipped (detected from the
 * first bytes). Header: two zero bytes, a type byte (0x08 = unsigned byte), the number of
 * dimensions, then one big-endian int32 per dimension. Images are {@code 0x00000803}
 * (count, rows, cols), labels {@code 0x00000801} (count).
 */
public final class IdxFile {
    public static final int IMAGES_MAGIC = 0x00000803;
    public static final int LABELS_MAGIC = 0x00000801;
    /** Guard against absurd headers before allocating. */
    private static final long MAX_BYTES = Integer.MAX_VALUE - 16;

    private IdxFile() {}

    public static IdxImages readImages(Path file) {
        try (DataInputStream in = open(file)) {
            int magic = readMagic(in, file, IMAGES_MAGIC, "images");
            int count = dim(in, file, "image count");
            int rows = dim(in, file, "rows");
            int cols = dim(in, file, "columns");
            long n = (long) count * rows * cols;
            if (n > MAX_BYTES || rows == 0 || cols == 0) {
                throw new IdxFormatException(file + ": implausible IDX image dimensions "
                        + count + "x" + rows + "x" + cols + " (magic " + hex(magic) + ")");
            }
            byte[] pixels = readBody(in, file, (int) n, count + " images of " + rows + "x" + cols);
            return new IdxImages(count, rows, cols, pixels);
        } catch (IOException e) {
            throw wrap(file, e);
        }
    }

    /** Labels as bytes (0..255 unsigned). */
    public static byte[] readLabels(Path file) {
        try (DataInputStream in = open(file)) {
            readMagic(in, file, LABELS_MAGIC, "labels");
            int count = dim(in, file, "label count");
            return readBody(in, file, count, count + " labels");
        } catch (IOException e) {
            throw wrap(file, e);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "IDX file not found");
        }
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        boolean gzip = b0 == 0x1f && b1 == 0x8b;
        return new DataInputStream(gzip ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw);
    }

    private static int readMagic(DataInputStream in, Path file, int expected, String what) throws IOException {
        int magic;
        try {
            magic = in.readInt();
        } catch (EOFException e) {
            throw new IdxFormatException(file + ": too short for an IDX header");
        }
        if (magic != expected) {
            throw new IdxFormatException(file + ": wrong IDX magic " + hex(magic) + " for " + what
                    + ", expected " + hex(expected) + describe(magic));
        }
        return magic;
    }

    private static String describe(int magic) {
        if (magic == IMAGES_MAGIC) {
            return " (this is an images file)";
        }
        if (magic == LABELS_MAGIC) {
            return " (this is a labels file)";
        }
        if ((magic >>> 16) != 0) {
            return " (not an IDX file)";
        }
        return " (type byte 0x" + Integer.toHexString((magic >> 8) & 0xff) + ", " + (magic & 0xff) + " dimensions)";
    }

    private static int dim(DataInputStream in, Path file, String name) throws IOException {
        int v;
        try {
            v = in.readInt();
        } catch (EOFException e) {
            throw new IdxFormatException(file + ": truncated IDX header (missing " + name + ")");
        }
        if (v < 0) {
            throw new IdxFormatException(file + ": negative " + name + " " + v + " in IDX header");
        }
        return v;
    }

    private static byte[] readBody(DataInputStream in, Path file, int n, String what) throws IOException {
        byte[] body = new byte[n];
        int off = 0;
        while (off < n) {
            int k = in.read(body, off, n - off);
            if (k < 0) {
                throw new IdxFormatException(file + ": truncated IDX file: header promises " + what
                        + " (" + n + " bytes) but only " + off + " bytes follow");
            }
            off += k;
        }
        if (in.read() >= 0) {
            throw new IdxFormatException(file + ": IDX file has extra bytes after " + what);
        }
        return body;
    }

    private static RuntimeException wrap(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new UncheckedIOException("IDX file not found: " + file, e);
        }
        if (e instanceof java.util.zip.ZipException || e instanceof EOFException) {
            return new IdxFormatException(file + ": corrupt gzip stream (" + e.getMessage() + ")");
        }
        return new UncheckedIOException("cannot read IDX file " + file + ": " + e.getMessage(), e);
    }

    private static String hex(int v) {
        return String.format("0x%08x", v);
    }

    /** The file exists but is not a valid IDX file of the expected kind. */
    public static final class IdxFormatException extends RuntimeException {
        public IdxFormatException(String message) {
            super(message);
        }
    }
}
