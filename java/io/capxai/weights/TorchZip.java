package io.capxai.weights;

import org.bytedeco.pytorch.Tensor;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The zip container of {@code torch.save} (since PyTorch 1.6) and {@code torch.jit.save}: one root
 * folder (named after the file in old versions, {@code archive} in new ones) holding
 * {@code data.pkl}, the raw storages {@code data/<key>}, {@code version}, optionally
 * {@code byteorder}, and for TorchScript {@code code/} and {@code constants.pkl}.
 */
final class TorchZip implements Closeable {
    final Path file;
    private final ZipFile zip;
    private final String root;
    private final ByteOrder byteOrder;

    private TorchZip(Path file, ZipFile zip, String root, ByteOrder byteOrder) {
        this.file = file;
        this.zip = zip;
        this.root = root;
        this.byteOrder = byteOrder;
    }

    static TorchZip open(Path file) {
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new WeightsException("weight file not found: " + file, e);
        } catch (ZipException e) {
            throw new WeightsException(file + ": corrupt or truncated zip archive (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new WeightsException(file + ": cannot read: " + e.getMessage(), e);
        }
        try {
            List<String> roots = new ArrayList<>();
            for (ZipEntry e : Collections.list(zip.entries())) {
                String name = e.getName();
                int slash = name.indexOf('/');
                if (slash > 0 && name.substring(slash + 1).equals("data.pkl")) {
                    roots.add(name.substring(0, slash));
                }
            }
            if (roots.size() != 1) {
                throw new WeightsException(file + ": a zip but not a PyTorch checkpoint: expected one <root>/data.pkl, found "
                        + (roots.isEmpty() ? "none" : roots));
            }
            String root = roots.get(0);
            ByteOrder order = ByteOrder.LITTLE_ENDIAN;
            ZipEntry byteorder = zip.getEntry(root + "/byteorder");
            if (byteorder != null) {
                String text = new String(zip.getInputStream(byteorder).readAllBytes(), StandardCharsets.US_ASCII).trim();
                order = switch (text) {
                    case "little" -> ByteOrder.LITTLE_ENDIAN;
                    case "big" -> ByteOrder.BIG_ENDIAN;
                    default -> throw new WeightsException(file + ": unknown byteorder '" + text + "'");
                };
            }
            return new TorchZip(file, zip, root, order);
        } catch (IOException | RuntimeException e) {
            closeQuietly(zip);
            if (e instanceof WeightsException w) {
                throw w;
            }
            throw new WeightsException(file + ": corrupt zip archive: " + e.getMessage(), e);
        }
    }

    /** Whether the archive is a TorchScript module (it has code or constants beside its data). */
    boolean isTorchScript() {
        return zip.getEntry(root + "/constants.pkl") != null
                || zip.stream().anyMatch(e -> e.getName().startsWith(root + "/code/"));
    }

    byte[] dataPickle() {
        return readEntry("data.pkl");
    }

    /** "model.pt: archive/data.pkl", for messages. */
    String describe(String entry) {
        return file + ": " + root + "/" + entry;
    }

    /** The storage {@code data/<key>} as a 1-D tensor of {@code numel} elements of {@code type}. */
    Tensor storage(String key, StorageType type, long numel) {
        String name = "data/" + key;
        ZipEntry entry = zip.getEntry(root + "/" + name);
        if (entry == null) {
            throw new WeightsException(describe(name) + ": storage missing from the archive");
        }
        long expected = Math.multiplyExact(numel, (long) type.elementSize);
        if (entry.getSize() >= 0 && entry.getSize() < expected) {
            throw new WeightsException(describe(name) + ": " + entry.getSize() + " bytes, but " + numel + " elements of "
                    + type + " need " + expected + " (truncated?)");
        }
        try (InputStream in = zip.getInputStream(entry)) {
            return StorageBytes.read(in, type, numel, byteOrder, describe(name));
        } catch (IOException e) {
            throw new WeightsException(describe(name) + ": cannot read storage: " + e.getMessage(), e);
        }
    }

    /** The UTF-8 text of {@code <root>/relative}, or null if the archive has no such entry. */
    String readText(String relative) {
        return zip.getEntry(root + "/" + relative) == null ? null : new String(readEntry(relative), StandardCharsets.UTF_8);
    }

    private byte[] readEntry(String relative) {
        ZipEntry entry = zip.getEntry(root + "/" + relative);
        if (entry == null) {
            throw new WeightsException(describe(relative) + ": missing from the archive");
        }
        try (InputStream in = zip.getInputStream(entry)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new WeightsException(describe(relative) + ": cannot read: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closeQuietly(zip);
    }

    private static void closeQuietly(ZipFile zip) {
        try {
            zip.close();
        } catch (IOException ignored) {
            // closing a read-only archive: nothing to recover
        }
    }
}
