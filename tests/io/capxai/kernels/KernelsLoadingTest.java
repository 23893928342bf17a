package io.capxai.kernels;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Finding, extracting and selecting the kernel libraries. */
class KernelsLoadingTest {
    private static final Path BUILT = Path.of(System.getProperty(NativeLibraries.DIR_PROPERTY));

    @Test
    void extractsTheLibraryFromTheClasspathIntoAHashedCacheDirectory(@TempDir Path cache) throws Exception {
        // No directory property: the copy under /native/linux-x86_64/ on the classpath is used.
        Path extracted = NativeLibraries.find("capxai_cpu", null, cache);
        assertTrue(extracted.startsWith(cache), extracted.toString());
        assertEquals("libcapxai_cpu.so", extracted.getFileName().toString());
        assertArrayEquals(Files.readAllBytes(BUILT.resolve("libcapxai_cpu.so")), Files.readAllBytes(extracted));
        long modified = Files.getLastModifiedTime(extracted).toMillis();
        assertEquals(extracted, NativeLibraries.find("capxai_cpu", null, cache), "same content, same path");
        assertEquals(modified, Files.getLastModifiedTime(extracted).toMillis(), "not rewritten");
    }

    @Test
    void aMissingLibrarySaysWhereItLookedAndWhy(@TempDir Path empty) {
        var inDir = assertThrows(BackendUnavailableException.class,
                () -> NativeLibraries.find("capxai_cuda", empty.toString(), empty));
        assertTrue(inDir.getMessage().contains(empty.toString()) && inDir.getMessage().contains("not built"),
                inDir.getMessage());
        var onClasspath = assertThrows(BackendUnavailableException.class,
                () -> NativeLibraries.find("capxai_nosuch", null, empty));
        assertTrue(onClasspath.getMessage().contains("/native/linux-x86_64/libcapxai_nosuch.so"),
                onClasspath.getMessage());
    }

    @Test
    void aLibraryLackingKernelsIsRefusedByName(@TempDir Path dir) throws Exception {
        // Any real shared library without our symbols stands in for a stale build.
        Path libc = Path.of("/lib/x86_64-linux-gnu/libm.so.6");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(libc), "no libm at " + libc);
        Files.copy(libc, dir.resolve("libcapxai_stale.so"));
        var e = assertThrows(BackendUnavailableException.class,
                () -> NativeLibraries.find("capxai_stale", dir.toString(), dir));
        assertTrue(e.getMessage().contains("capxai_moments_update"), e.getMessage());
    }

    @Test
    void cpuLoadsWithTheExpectedAbi() {
        KernelBackend cpu = Kernels.cpu();
        assertEquals("cpu", cpu.name());
        assertSame(cpu, Kernels.cpu(), "loaded once");
        assertEquals(NativeLibraries.ABI_VERSION, NativeFunctions.cpu().abiVersion());
        assertEquals(1, NativeFunctions.cpu().deviceCount());
    }

    @Test
    void cudaEitherWorksOrSaysWhyNotAndBestFallsBackToCpu() {
        KernelBackend cuda;
        try {
            cuda = Kernels.cuda();
        } catch (BackendUnavailableException e) {
            String why = e.getMessage();
            assertTrue(why.contains("no CUDA device") || why.contains("not built")
                    || why.contains("does not implement"), why);
            assertSame(Kernels.cpu(), Kernels.best());
            var again = assertThrows(BackendUnavailableException.class, Kernels::cuda);
            assertEquals(why, again.getMessage(), "the same reason every time");
            return;
        }
        assertEquals("cuda", cuda.name());
        assertSame(cuda, Kernels.best());
    }
}
