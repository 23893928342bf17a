package io.capxai.tensors;

import org.bytedeco.pytorch.global.torch;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Sets libtorch up for this process, once: its thread pools, its thread count, and which of its CPU
 * back-ends (oneDNN, NNPACK) may run on this host.
 *
 * <p>Every engine class that creates tensors goes through {@link Tensors} or a model's
 * {@code ModuleState}, which call {@link #configure()}; the CLI calls it first thing.
 *
 * <ul>
 *   <li><b>Spinning OpenBLAS workers.</b> The JavaCPP libtorch build runs its own operators on an OpenMP
 *       pool and its matrix products on OpenBLAS's separate pthread pool. After each call OpenBLAS's
 *       threads spin for a long while; on a 2-core machine they take the cores the OpenMP threads need
 *       and small operators become 10-20x slower. OpenBLAS reads {@code OPENBLAS_THREAD_TIMEOUT} once,
 *       when it is loaded, so it is set (unless the user set it) before the first tensor exists.</li>
 *   <li><b>Thread count.</b> On hosts where libtorch's CPU detection fails it runs one intra-op thread
 *       whatever the cores; see {@link #threads()}.</li>
 *   <li><b>oneDNN and NNPACK.</b> See {@link OneDnn}.</li>
 * </ul>
 */
public final class Libtorch {
    /** OpenBLAS's shortest spin: 2^4 cycles before a worker sleeps. */
    static final String OPENBLAS_TIMEOUT = "4";
    /** Intra-op threads: system property, then environment variable. */
    public static final String THREADS_PROPERTY = "capxai.threads";
    public static final String THREADS_ENV = "CAPXAI_THREADS";
    private static boolean configured;

    private Libtorch() {}

    /** Sets the environment, loads libtorch, sets its back-ends and threads; a no-op after the first call. */
    public static synchronized void configure() {
        if (configured) {
            return;
        }
        configured = true;
        setOpenBlasTimeout();
        OneDnn.configure(); // may cap oneDNN's instruction set: before anything else touches libtorch's kernels
        applyThreads();
    }

    /**
     * The intra-op thread count the engine asks libtorch for: {@value #THREADS_PROPERTY} or
     * {@value #THREADS_ENV} when set; else 0 (leave libtorch alone) when the user set
     * {@code OMP_NUM_THREADS}, which libtorch honours itself; else the processors this JVM may use.
     */
    public static int threads() {
        String value = System.getProperty(THREADS_PROPERTY, System.getenv(THREADS_ENV));
        if (value != null && !value.isBlank()) {
            try {
                int n = Integer.parseInt(value.strip());
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new IllegalArgumentException(THREADS_ENV + "/" + THREADS_PROPERTY + " must be a whole number >= 1, got '"
                    + value + "'");
        }
        String omp = System.getenv("OMP_NUM_THREADS");
        if (omp != null && !omp.isBlank()) {
            return 0;
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** Applies {@link #threads()} to libtorch's intra-op pool. */
    static void applyThreads() {
        int n = threads();
        if (n > 0 && torch.get_num_threads() != n) {
            torch.set_num_threads(n);
        }
    }

    private static void setOpenBlasTimeout() {
        if (!setEnvironment("OPENBLAS_THREAD_TIMEOUT", OPENBLAS_TIMEOUT)) {
            System.getLogger(Libtorch.class.getName()).log(System.Logger.Level.WARNING,
                    "could not set OPENBLAS_THREAD_TIMEOUT; small libtorch operators may run slowly");
        }
    }

    /**
     * Sets a variable in the C library's environment, where native libraries read it, unless the user set
     * it already; false when that failed. (Java's own view, {@link System#getenv}, is a start-up snapshot.)
     */
    static boolean setEnvironment(String name, String value) {
        Linker linker = Linker.nativeLinker();
        MethodHandle setenv = linker.downcallHandle(linker.defaultLookup().find("setenv").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            return (int) setenv.invokeExact(arena.allocateFrom(name), arena.allocateFrom(value), 0) == 0;
        } catch (Throwable e) {
            return false;
        }
    }

    /** The value the C library sees now (null when unset). */
    static String environmentValue(String name) {
        Linker linker = Linker.nativeLinker();
        MethodHandle getenv = linker.downcallHandle(linker.defaultLookup().find("getenv").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = (MemorySegment) getenv.invokeExact(arena.allocateFrom(name));
            return value.equals(MemorySegment.NULL) ? null : value.reinterpret(4096).getString(0);
        } catch (Throwable e) {
            throw new IllegalStateException("getenv failed", e);
        }
    }
}
