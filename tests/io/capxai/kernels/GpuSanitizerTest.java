package io.capxai.kernels;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs {@code bench/gpu/run.sh} (CPU vs CUDA library on every kernel, then compute-sanitizer memcheck,
 * racecheck, initcheck and synccheck) and requires a PASS and four clean sanitizer runs in its report.
 * Its timing step (which also needs PyTorch for Python) is reported, not judged here.
 */
@Tag("gpu")
@EnabledIf(value = "sanitizerAvailable", disabledReason = "needs a CUDA device, nvcc, cmake and compute-sanitizer on PATH")
class GpuSanitizerTest {
    static boolean sanitizerAvailable() {
        try {
            Kernels.cuda(0);
        } catch (BackendUnavailableException e) {
            return false;
        }
        return List.of("nvcc", "cmake", "compute-sanitizer").stream().allMatch(GpuSanitizerTest::onPath);
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void kernelsMatchTheCpuLibraryAndTheSanitizersAreClean() throws Exception {
        Path repo = Path.of(System.getProperty("capxai.repo", "."));
        Path out = Files.createTempDirectory("capxai-gpu-check");
        ProcessBuilder run = new ProcessBuilder("bash", repo.resolve("bench/gpu/run.sh").toString())
                .directory(repo.toFile()).inheritIO();
        run.environment().put("OUT", out.toString()); // run.sh copies its report there
        run.environment().put("NCU", "0");
        Process p = run.start();
        assertTrue(p.waitFor(30, TimeUnit.MINUTES), "bench/gpu/run.sh did not finish in 30 minutes");
        Path report = out.resolve("gpu_results.md");
        assertTrue(Files.isRegularFile(report), "no report at " + report);
        String text = Files.readString(report);
        assertTrue(!text.contains("**FAIL**: correctness") && !text.contains("**FAIL**: native build"), text);
        for (String tool : List.of("memcheck", "racecheck", "initcheck", "synccheck")) {
            assertTrue(text.contains("- " + tool + ": clean"), tool + " not clean:\n" + text);
        }
    }
}
