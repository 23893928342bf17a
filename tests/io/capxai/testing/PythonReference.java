package io.capxai.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a reference script of tests/reference/ with Debian's python3-torch (skips the test if absent). */
public final class PythonReference {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static Boolean available;

    private PythonReference() {}

    public static Path repo() {
        return Path.of(System.getProperty("capxai.repo", ".")).toAbsolutePath();
    }

    /** Skips the calling test with a visible reason when /usr/bin/python3 cannot import torch. */
    public static void assumeAvailable() {
        if (available == null) {
            try {
                available = run(List.of(PYTHON.toString(), "-c", "import torch, torchvision"), repo()) == 0;
            } catch (IOException e) {
                available = false;
            }
        }
        Assumptions.assumeTrue(available, "reference PyTorch missing: apt-get install python3-torch python3-torchvision");
    }

    /** Runs tests/reference/{script} with args; fails with the script's output if it fails. */
    public static void run(String script, String... args) {
        assumeAvailable();
        Path path = repo().resolve("tests/reference").resolve(script);
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), path.toString()));
        cmd.addAll(List.of(args));
        try {
            Path log = Files.createTempFile("capxai-ref", ".log");
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(path.getParent().toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            Process p = pb.start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError(script + " timed out");
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            Files.deleteIfExists(log);
            if (p.exitValue() != 0) {
                throw new AssertionError(script + " failed (" + p.exitValue() + "):\n" + out);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + script + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static int run(List<String> cmd, Path dir) throws IOException {
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(2, TimeUnit.MINUTES) ? p.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
