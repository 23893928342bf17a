package io.capxai.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * A minimal reader for (gzipped) POSIX tar archives, enough for npm tarballs: regular files,
 * directories, GNU long names and pax {@code path} records. Links and devices are skipped.
 * Entries that would escape the target directory are rejected.
 */
public final class TarReader {
    private static final int BLOCK = 512;

    private TarReader() {}

    /** Extracts {@code tgz} (gzip-compressed tar) into {@code target}; returns the number of files written. */
    public static int extractTarGz(Path tgz, Path target) throws IOException {
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tgz)), 1 << 16)) {
            return extract(in, target, tgz.toString());
        } catch (java.util.zip.ZipException e) {
            throw new IOException(tgz + " is not a gzip file: " + e.getMessage(), e);
        }
    }

    /** Extracts an uncompressed tar stream into {@code target}; {@code what} names the source in errors. */
    public static int extract(InputStream in, Path target, String what) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        Files.createDirectories(root);
        byte[] header = new byte[BLOCK];
        String pendingName = null; // from a GNU 'L' or pax 'x' record, applies to the next entry
        int files = 0;
        while (true) {
            if (!readFully(in, header)) {
                throw new IOException(what + ": truncated tar archive (no end-of-archive marker)");
            }
            if (isZero(header)) {
                return files; // end of archive (two zero blocks; one is enough for us)
            }
            checkHeaderChecksum(header, what);
            String name = cString(header, 0, 100);
            String prefix = cString(header, 345, 155);
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
            long size = octal(header, 124, 12, what);
            char type = (char) header[156];
            if (type == 'L' || type == 'x') {
                byte[] data = readData(in, size, what);
                pendingName = type == 'L' ? cString(data, 0, data.length) : paxPath(data, pendingName);
                continue;
            }
            if (type == 'g') {
                readData(in, size, what); // global pax header: nothing we need
                continue;
            }
            if (pendingName != null) {
                name = pendingName;
                pendingName = null;
            }
            Path out = root.resolve(name).normalize();
            if (!out.startsWith(root)) {
                throw new IOException(what + ": tar entry '" + name + "' would escape " + root);
            }
            if (type == '5') {
                Files.createDirectories(out);
            } else if (type == '0' || type == '\0' || type == '7') {
                Files.createDirectories(out.getParent());
                try (OutputStream os = Files.newOutputStream(out)) {
                    copy(in, os, size, what);
                }
                skipPadding(in, size, what);
                files++;
            } else {
                skip(in, padded(size), what); // symlinks, devices...: not needed, not written
            }
        }
    }

    private static String paxPath(byte[] data, String fallback) {
        // records: "<len> key=value\n"
        String s = new String(data, StandardCharsets.UTF_8);
        for (String line : s.split("\n")) {
            int sp = line.indexOf(' ');
            if (sp > 0 && line.startsWith("path=", sp + 1)) {
                return line.substring(sp + 1 + "path=".length());
            }
        }
        return fallback;
    }

    private static void checkHeaderChecksum(byte[] h, String what) throws IOException {
        long stored = octal(h, 148, 8, what);
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
        }
        if (sum != stored) {
            throw new IOException(what + ": corrupt tar header (checksum " + stored + ", computed " + sum + ")");
        }
    }

    private static long octal(byte[] h, int off, int len, String what) throws IOException {
        long v = 0;
        int end = off + len;
        int i = off;
        while (i < end && (h[i] == ' ' || h[i] == 0)) {
            i++;
        }
        for (; i < end && h[i] != 0 && h[i] != ' '; i++) {
            if (h[i] < '0' || h[i] > '7') {
                throw new IOException(what + ": corrupt tar header (bad octal field)");
            }
            v = v * 8 + (h[i] - '0');
        }
        return v;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static long padded(long size) {
        return (size + BLOCK - 1) / BLOCK * BLOCK;
    }

    private static byte[] readData(InputStream in, long size, String what) throws IOException {
        if (size > (1 << 20)) {
            throw new IOException(what + ": tar metadata record of " + size + " bytes is implausibly large");
        }
        byte[] data = new byte[(int) size];
        if (!readFully(in, data)) {
            throw new IOException(what + ": truncated tar archive");
        }
        skipPadding(in, size, what);
        return data;
    }

    private static void copy(InputStream in, OutputStream out, long size, String what) throws IOException {
        byte[] buf = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new IOException(what + ": truncated tar archive (file data cut short)");
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }

    private static void skipPadding(InputStream in, long size, String what) throws IOException {
        skip(in, padded(size) - size, what);
    }

    private static void skip(InputStream in, long n, String what) throws IOException {
        long left = n;
        while (left > 0) {
            long k = in.skip(left);
            if (k <= 0) {
                if (in.read() < 0) {
                    throw new IOException(what + ": truncated tar archive");
                }
                k = 1;
            }
            left -= k;
        }
    }

    private static boolean readFully(InputStream in, byte[] b) throws IOException {
        int off = 0;
        while (off < b.length) {
            int n = in.read(b, off, b.length - off);
            if (n < 0) {
                return false;
            }
            off += n;
        }
        return true;
    }
}
