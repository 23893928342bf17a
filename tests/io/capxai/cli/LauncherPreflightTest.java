package io.capxai.cli;

import io.capxai.testing.PythonReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ./capxai launcher on a machine that lacks everything: one line per tool with its install command, exit 2. */
class LauncherPreflightTest {
    @Test
    void namesEveryMissingToolBeforeAnyWork(@TempDir Path tmp) throws IOException, InterruptedException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        for (String tool : List.of("bash", "rm", "cat", "find", "readlink")) { // what the script itself runs
            Files.createSymbolicLink(bin.resolve(tool), Path.of("/usr/bin", tool).toRealPath());
        }
        Path oldJdk = Files.createDirectories(tmp.resolve("jdk17/bin"));
        Files.writeString(oldJdk.resolve("javac"), "");
        oldJdk.resolve("javac").toFile().setExecutable(true);
        Files.writeString(tmp.resolve("jdk17/release"), "JAVA_VERSION=\"17.0.15\"\n");

        ProcessBuilder pb = new ProcessBuilder(bin.resolve("bash").toString(),
                PythonReference.repo().resolve("capxai").toString(), "demo").redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(java.util.Map.of("PATH", bin.toString(), "HOME", tmp.toString(),
                "JAVA_HOME", tmp.resolve("jdk17").toString(), "TMPDIR", tmp.toString()));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), out);
        List<String> lines = out.lines().toList();
        assertEquals(4, lines.size(), out);
        assertTrue(lines.get(0).startsWith("capxai: missing JDK 25 (found JDK 17 at ") && lines.get(0).contains("apt-get install openjdk-25"), out);
        assertTrue(lines.get(1).startsWith("capxai: missing CMake >= 3.25 (found none): apt-get install cmake"), out);
        assertTrue(lines.get(2).startsWith("capxai: missing a C compiler with OpenMP") && lines.get(2).endsWith("apt-get install build-essential"), out);
        assertTrue(lines.get(3).startsWith("capxai: missing npm") && lines.get(3).endsWith("apt-get install npm"), out);
    }
}
