package io.capxai.tensors;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Keeps libtorch's two CPU thread pools from fighting over the cores.
 *
 * <p>The JavaCPP libtorch build runs its own operators on an OpenMP pool and its matrix products on
 * OpenBLAS's separate pthread pool. After each call, OpenBLAS's threads spin for a long while waiting
 * for more work; on a 2-core machine they take the cores the OpenMP threads need, and small operators
 * become 10-20x slower (a 50-caption text tower pass: 85 ms instead of 4 ms; ResNet-50 at batch 1:
 * 145 ms instead of 71 ms). Large products are as fast either way. OpenBLAS reads
 * {@code OPENBLAS_THREAD_TIMEOUT} once, when it is loaded, so it is set in the process environment
 * (unless the user set it) before the first tensor exists. Every engine class that creates tensors
 * goes through {@link Tensors} or a model's {@code ModuleState}, which call {@link #configure()}.
 */
public final class NativeThreads {
    /** OpenBLAS's shortest spin: 2^4 cycles before a worker sleeps. */
    static final String OPENBLAS_TIMEOUT = "4";
    private static boolean configured;

    private NativeThreads() {}

    /** Sets {@code OPENBLAS_THREAD_TIMEOUT} unless already set; a no-op after the first call. */
    public static synchronized void configure() {
        if (configured) {
            return;
        }
        configured = true;
        try (Arena arena = Arena.ofConfined()) {
            Linker linker = Linker.nativeLinker();
            MethodHandle setenv = linker.downcallHandle(linker.defaultLookup().find("setenv").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
            int rc = (int) setenv.invokeExact(arena.allocateFrom("OPENBLAS_THREAD_TIMEOUT"), arena.allocateFrom(OPENBLAS_TIMEOUT), 0);
            if (rc != 0) {
                System.getLogger(NativeThreads.class.getName()).log(System.Logger.Level.WARNING,
                        "could not set OPENBLAS_THREAD_TIMEOUT; small libtorch operators may run slowly");
            }
        } catch (Throwable e) {
            System.getLogger(NativeThreads.class.getName()).log(System.Logger.Level.WARNING,
                    "could not set OPENBLAS_THREAD_TIMEOUT (" + e + "); small libtorch operators may run slowly");
        }
    }

    /** The value the C library sees now (null when unset). */
    static String environmentValue() {
        Linker linker = Linker.nativeLinker();
        MethodHandle getenv = linker.downcallHandle(linker.defaultLookup().find("getenv").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = (MemorySegment) getenv.invokeExact(arena.allocateFrom("OPENBLAS_THREAD_TIMEOUT"));
            return value.equals(MemorySegment.NULL) ? null : value.reinterpret(64).getString(0);
        } catch (Throwable e) {
            throw new IllegalStateException("getenv failed", e);
        }
    }
}
