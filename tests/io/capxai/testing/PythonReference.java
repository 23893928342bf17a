package io.capxai.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs the reference scripts of tests/reference with Debian's Python ({@code /usr/bin/python3},
 * or {@code CAPXAI_REFERENCE_PYTHON}) and its python3-torch, python3-torchvision, python3-numpy,
 * python3-pil. A test whose modules are missing is skipped with the reason, or fails under CI
 * ({@link Requirements}); a script that fails is a test failure.
 */
public final class PythonReference {
    private static final Map<String, Boolean> IMPORTABLE = new ConcurrentHashMap<>();

    private PythonReference() {}

    public static Path python() {
        String configured = System.getenv("CAPXAI_REFERENCE_PYTHON");
        return Path.of(configured != null && !configured.isBlank() ? configured : "/usr/bin/python3");
    }

    public static Path repo() {
        return Path.of(System.getProperty("capxai.repo", ".")).toAbsolutePath();
    }

    /** Skips (fails under CI) unless the reference Python can import every module named. */
    public static void require(String... modules) {
        String imports = modules.length == 0 ? "pass" : "import " + String.join(", ", modules);
        boolean ok = IMPORTABLE.computeIfAbsent(imports, PythonReference::canRun);
        Requirements.assumeOrFailInCi(ok, "reference Python " + python() + " cannot "
                + (modules.length == 0 ? "run" : imports) + ": apt-get install python3 python3-torch python3-torchvision"
                + " python3-numpy python3-pil");
    }

    /** Runs tests/reference/{script} with {@code args}; returns its standard output. */
    public static String run(String script, String... args) {
        return runWithInput(script, null, args);
    }

    /** As {@link #run}, writing {@code stdin} (UTF-8) to the script's standard input. */
    public static String runWithInput(String script, String stdin, String... args) {
        Path path = repo().resolve("tests/reference").resolve(script);
        List<String> cmd = new ArrayList<>(List.of(python().toString(), path.toString()));
        cmd.addAll(List.of(args));
        Path log = null;
        try {
            log = Files.createTempFile("capxai-ref", ".log");
            Process p = new ProcessBuilder(cmd).directory(path.getParent().toFile())
                    .redirectError(log.toFile()).start();
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError(script + " timed out after 10 minutes");
            }
            if (p.exitValue() != 0) {
                throw new AssertionError(script + " failed (exit " + p.exitValue() + "):\n" + Files.readString(log));
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + script + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            if (log != null) {
                log.toFile().delete();
            }
        }
    }

    private static boolean canRun(String code) {
        if (!Files.isExecutable(python())) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(python().toString(), "-c", code).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
