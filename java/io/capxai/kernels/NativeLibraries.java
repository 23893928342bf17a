package io.capxai.kernels;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Finds the kernel libraries ({@code libcapxai_cpu.so}, {@code libcapxai_cuda.so}).
 *
 * <p>Order: the directory named by the system property {@code capxai.native.dir} (set by
 * the tests and the launcher to {@code target/classes/native/linux-x86_64}); otherwise the
 * copy inside the jar at {@code /native/linux-x86_64/}, extracted once to a cache directory
 * named after the library's SHA-256 (so two versions never overwrite each other).
 *
 * <p>{@link #load(String)} must run before the generated bindings are first used (their
 * static initialiser looks the library up by name): {@link NativeFunctions} does so.
 */
public final class NativeLibraries {
    /** The kernel ABI this Java code was written for (capxai_abi_version() in native/src/common.h). */
    public static final int ABI_VERSION = 1;

    /** Every function of capxai_kernels.h; a library lacking one is stale. */
    static final List<String> SYMBOLS = List.of(
            "capxai_abi_version", "capxai_last_error", "capxai_device_count",
            "capxai_moments_update", "capxai_moments_merge", "capxai_resize_adjoint",
            "capxai_resize", "capxai_weighted_sum", "capxai_cross_moment", "capxai_surgery_apply");

    public static final String DIR_PROPERTY = "capxai.native.dir";
    public static final String CACHE_PROPERTY = "capxai.cache.dir";
    static final String RESOURCE_DIR = "/native/linux-x86_64/";

    private NativeLibraries() {}

    /**
     * Finds {@code lib<name>.so} and opens it for the rest of the process. The generated
     * bindings look their library up by name ({@code dlopen("lib<name>.so")}); the dynamic
     * loader resolves that name to the copy opened here, by its SONAME, so the bindings bind
     * to this file whatever the library search path holds.
     *
     * @throws BackendUnavailableException naming where it looked and what is missing
     */
    @SuppressWarnings("restricted") // opening our own library
    static synchronized Path load(String name) {
        Path lib = find(name);
        SymbolLookup.libraryLookup(lib, Arena.global());
        return lib;
    }

    /**
     * Locates {@code lib<name>.so} and checks that it exports every kernel symbol.
     *
     * @throws BackendUnavailableException naming where it looked and what is missing
     */
    public static Path find(String name) {
        return find(name, System.getProperty(DIR_PROPERTY), cacheRoot());
    }

    /** {@link #find(String)} with the directory property and the cache root given (tests). */
    static synchronized Path find(String name, String dir, Path cacheRoot) {
        checkPlatform();
        String file = "lib" + name + ".so";
        Path lib;
        if (dir != null && !dir.isBlank()) {
            lib = Path.of(dir).toAbsolutePath().resolve(file);
            if (!Files.isRegularFile(lib)) {
                throw new BackendUnavailableException(file + " not found in " + lib.getParent()
                        + " (system property " + DIR_PROPERTY + "): " + notBuiltHint(name));
            }
        } else {
            lib = extractFromClasspath(file, name, cacheRoot);
        }
        checkSymbols(lib);
        return lib;
    }

    private static Path extractFromClasspath(String file, String name, Path cacheRoot) {
        byte[] bytes;
        try (InputStream in = NativeLibraries.class.getResourceAsStream(RESOURCE_DIR + file)) {
            if (in == null) {
                throw new BackendUnavailableException(file + " is not on the classpath at " + RESOURCE_DIR
                        + file + " and " + DIR_PROPERTY + " is not set: " + notBuiltHint(name));
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new BackendUnavailableException("cannot read " + RESOURCE_DIR + file + " from the classpath", e);
        }
        Path target = cacheRoot.resolve(sha256(bytes)).resolve(file);
        if (Files.isRegularFile(target)) {
            return target;
        }
        try {
            Files.createDirectories(target.getParent());
            // Write to a private temporary name, then rename: a concurrent JVM never sees half a file.
            Path tmp = Files.createTempFile(target.getParent(), file, ".tmp");
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new BackendUnavailableException("cannot extract " + file + " to " + target
                    + " (set " + CACHE_PROPERTY + " to a writable directory)", e);
        }
        return target;
    }

    private static Path cacheRoot() {
        String custom = System.getProperty(CACHE_PROPERTY);
        if (custom != null && !custom.isBlank()) {
            return Path.of(custom, "native");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "capxai", "native");
    }

    @SuppressWarnings("restricted") // opening our own library to list its symbols
    private static void checkSymbols(Path lib) {
        List<String> missing = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup lookup;
            try {
                lookup = SymbolLookup.libraryLookup(lib, arena);
            } catch (IllegalArgumentException e) {
                throw new BackendUnavailableException("cannot load " + lib + ": " + e.getMessage(), e);
            }
            for (String symbol : SYMBOLS) {
                if (lookup.find(symbol).isEmpty()) {
                    missing.add(symbol);
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new BackendUnavailableException(lib + " does not export " + missing
                    + ": it does not implement all of capxai_kernels.h (a stale or partial build; rebuild with ./mvnw generate-resources)");
        }
    }

    private static void checkPlatform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new BackendUnavailableException("the native kernels are built for linux-x86_64 only, this is "
                    + os + "-" + arch);
        }
    }

    private static String notBuiltHint(String name) {
        return name.contains("cuda")
                ? "the CUDA library was not built (nvcc was not found at build time, or -Dcapxai.cuda=OFF)"
                : "the native build did not run (./mvnw generate-resources builds it with CMake)";
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
