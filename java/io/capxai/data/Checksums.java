package io.capxai.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/** File digests, as hex (md5sum style) or as npm's "sha512-BASE64" integrity strings. */
public final class Checksums {
    private Checksums() {}

    public static byte[] digest(Path file, String algorithm) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("unknown digest algorithm " + algorithm, e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " to checksum it", e);
        }
        return md.digest();
    }

    public static String md5Hex(Path file) {
        return HexFormat.of().formatHex(digest(file, "MD5"));
    }

    public static String sha256Hex(Path file) {
        return HexFormat.of().formatHex(digest(file, "SHA-256"));
    }

    /** npm's Subresource-Integrity form, e.g. {@code sha512-yNMiXG...==}. */
    public static String npmIntegrity(Path file) {
        return "sha512-" + Base64.getEncoder().encodeToString(digest(file, "SHA-512"));
    }
}
