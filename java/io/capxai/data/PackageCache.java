package io.capxai.data;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * How npm and Debian packages come into the cache: unpacked into a scratch folder beside their
 * final place, a marker file written last, then moved into place in one step, so that an
 * interrupted fetch never looks complete and two processes fetching at once do not clash. The
 * external tools (npm, apt-get, dpkg) run through {@link #run}.
 */
final class PackageCache {
    /** Written last into a complete package folder; holds what was fetched (integrity or .deb name). */
    static final String DONE_MARKER = ".capxai-complete";

    private PackageCache() {}

    /** Fills {@code target} (which does not exist yet), using {@code work} as scratch space. */
    @FunctionalInterface
    interface Unpacker {
        /** Returns what the marker records, e.g. the checksum or file that was unpacked. */
        String unpack(Path work, Path target) throws IOException;
    }

    static boolean isComplete(Path dir) {
        return Files.isRegularFile(dir.resolve(DONE_MARKER));
    }

    /** {@code dir} once complete, unpacking it first (with a progress line on stderr) if needed. */
    static Path fetch(Path dir, String what, Unpacker unpacker) {
        if (isComplete(dir)) {
            return dir;
        }
        System.err.println("capxai: fetching " + what + " into " + dir + " ...");
        long start = System.nanoTime();
        Path work = null;
        try {
            Files.createDirectories(dir.getParent());
            work = Files.createTempDirectory(dir.getParent(), ".fetch-");
            Path unpacked = work.resolve("unpacked");
            String stamp = unpacker.unpack(work, unpacked);
            Files.createDirectories(unpacked);
            Files.writeString(unpacked.resolve(DONE_MARKER), stamp + "\n");
            publish(unpacked, dir);
        } catch (IOException e) {
            throw new MissingDataException("cannot fetch " + what + ": " + e.getMessage(), e);
        } finally {
            if (work != null) {
                deleteRecursively(work);
            }
        }
        System.err.printf("capxai: fetched %s in %.1f s%n", what, (System.nanoTime() - start) / 1e9);
        return dir;
    }

    /**
     * Runs {@code cmd} in {@code dir} and returns its output. A tool that cannot be started is a
     * {@link MissingDataException} naming {@code install}, the way to get it.
     */
    static String run(Path dir, String what, String install, List<String> cmd) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new MissingDataException(cmd.getFirst() + " is needed to fetch " + what + " but could not be started ("
                    + e.getMessage() + "); " + install, e);
        }
        String output;
        try (InputStream in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " timed out");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", cmd), e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "): " + output.strip());
        }
        return output;
    }

    /** The one file in {@code dir} whose name ends with {@code suffix}; {@code producer} names the command in errors. */
    static Path onlyFile(Path dir, String suffix, String producer) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> found = files.filter(f -> f.getFileName().toString().endsWith(suffix)).toList();
            if (found.size() != 1) {
                throw new IOException(producer + " produced " + found.size() + " " + suffix + " files in " + dir);
            }
            return found.getFirst();
        }
    }

    /**
     * Extracts a gzip-compressed tar archive into {@code target}: regular files and folders only
     * (links and devices are skipped); an entry that would land outside {@code target} is refused.
     * Returns the number of files written.
     */
    static int extractTarGz(Path tgz, Path target) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        Files.createDirectories(root);
        int files = 0;
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(tgz));
             TarArchiveInputStream tar = new TarArchiveInputStream(gunzip(raw, tgz))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                Path out = root.resolve(entry.getName()).normalize();
                if (!out.startsWith(root)) {
                    throw new IOException(tgz + ": tar entry '" + entry.getName() + "' would escape " + root);
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else if (entry.isFile()) {
                    Files.createDirectories(out.getParent());
                    Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                    files++;
                }
            }
        }
        return files;
    }

    private static InputStream gunzip(InputStream raw, Path tgz) throws IOException {
        try {
            return new GzipCompressorInputStream(raw);
        } catch (IOException e) {
            throw new IOException(tgz + " is not a gzip file: " + e.getMessage(), e);
        }
    }

    /** Moves the finished folder into place; another process may have won the race, which is fine. */
    private static void publish(Path unpacked, Path dir) throws IOException {
        if (Files.exists(dir) && !isComplete(dir)) {
            deleteRecursively(dir); // left over from an interrupted run
        }
        try {
            Files.move(unpacked, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            if (!isComplete(dir)) {
                throw e;
            }
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(unpacked, dir);
        }
    }

    private static void deleteRecursively(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        } catch (IOException e) {
            System.err.println("capxai: could not delete temporary " + p + ": " + e.getMessage());
        }
    }
}
