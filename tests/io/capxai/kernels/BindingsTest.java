package io.capxai.kernels;

import io.capxai.testing.Requirements;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The committed bindings are what jextract generates from native/include/capxai_kernels.h
 * (regenerated and compared whenever jextract and libclang are here; under CI=true they must
 * be), and they match the header: every CAPXAI_API function has a binding with the right
 * FunctionDescriptor and Java signature, no binding is extra, and every CAPXAI_* constant has
 * the header's value.
 */
class BindingsTest {
    private static final Path REPO = Path.of(System.getProperty("capxai.repo", ".")).toAbsolutePath().normalize();
    private static final Path HEADER = REPO.resolve("native/include/capxai_kernels.h");
    private static final Path BINDINGS = Path.of("io/capxai/kernels/ffm");
    /** Overrides where jextract is; by default ../shared/tools/jextract/jextract beside the repository. */
    static final String JEXTRACT_ENV = "CAPXAI_JEXTRACT";

    @Test
    void committedBindingsAreWhatJextractGenerates(@TempDir Path out) throws Exception {
        Path jextract = jextract();
        Process p = new ProcessBuilder("bash", REPO.resolve("native/jextract.sh").toString(), jextract.toString(),
                out.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "native/jextract.sh failed:\n" + log);
        Map<Path, String> generated = sources(out.resolve(BINDINGS));
        Map<Path, String> committed = sources(REPO.resolve("java").resolve(BINDINGS));
        assertTrue(generated.size() >= 4, "jextract wrote only " + generated.keySet() + "\n" + log);
        assertEquals(new TreeSet<>(generated.keySet()), new TreeSet<>(committed.keySet()),
                "files under java/" + BINDINGS + " (regenerate with native/jextract.sh)");
        for (var e : generated.entrySet()) {
            assertEquals(e.getValue(), committed.get(e.getKey()),
                    "java/" + BINDINGS.resolve(e.getKey()) + " differs from jextract's output: regenerate it with "
                            + "native/jextract.sh (generated code is committed exactly as jextract writes it)");
        }
    }

    /** jextract, runnable with libclang; otherwise a skip naming what is missing (a failure under CI=true). */
    private static Path jextract() throws Exception {
        String custom = System.getenv(JEXTRACT_ENV);
        Path jextract = custom != null && !custom.isBlank() ? Path.of(custom)
                : REPO.resolveSibling("shared").resolve("tools/jextract/jextract");
        String missing = null;
        if (!Files.isExecutable(jextract)) {
            missing = "no jextract at " + jextract + " (set " + JEXTRACT_ENV + " to its path)";
        } else {
            Process p = new ProcessBuilder(jextract.toString(), "--version").redirectErrorStream(true).start();
            String version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor() != 0) {
                missing = jextract + " --version failed: " + version;
            }
        }
        if (missing != null) {
            String reason = "cannot regenerate the bindings: " + missing
                    + "; jextract needs libclang (apt-get install libclang-14-dev)";
            Requirements.assumeOrFailInCi(false, reason);
        }
        return jextract;
    }

    private static Map<Path, String> sources(Path dir) throws Exception {
        Map<Path, String> files = new TreeMap<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path f : walk.filter(Files::isRegularFile).toList()) {
                    files.put(dir.relativize(f), Files.readString(f));
                }
            }
        }
        return files;
    }

    /** One C declaration: return type and parameter types, as written. */
    record CFunction(String name, String returnType, List<String> parameterTypes) {}

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "cuda"})
    void everyHeaderFunctionHasAMatchingJavaMethod(String backend) throws Exception {
        Class<?> bindings = bindingsClass(backend);
        Map<String, CFunction> header = parseFunctions();
        assertTrue(header.size() >= 10, "parsed only " + header.keySet());
        for (CFunction f : header.values()) {
            Method m = findStatic(bindings, f.name());
            List<Class<?>> expected = f.parameterTypes().stream().<Class<?>>map(t -> javaType(t)).toList();
            assertEquals(expected, List.of(m.getParameterTypes()), backend + ": parameters of " + f.name());
            assertEquals(javaType(f.returnType()), m.getReturnType(), backend + ": return type of " + f.name());
            findStatic(bindings, f.name() + "$descriptor");
            findStatic(bindings, f.name() + "$handle");
            findStatic(bindings, f.name() + "$address");
        }
        var extra = new TreeSet<String>();
        for (Method m : bindings.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && m.getName().startsWith("capxai_") && !m.getName().contains("$")
                    && !header.containsKey(m.getName())) {
                extra.add(m.getName());
            }
        }
        assertTrue(extra.isEmpty(), backend + ": bindings without a header declaration: " + extra);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "cuda"})
    void descriptorsAndConstantsMatchTheHeader(String backend) throws Exception {
        assumeLibrary(backend);
        Class<?> bindings = bindingsClass(backend);
        for (CFunction f : parseFunctions().values()) {
            FunctionDescriptor actual = (FunctionDescriptor) findStatic(bindings, f.name() + "$descriptor").invoke(null);
            List<MemoryLayout> expectedArgs = f.parameterTypes().stream().map(BindingsTest::layout).toList();
            assertEquals(expectedArgs, normalise(actual.argumentLayouts()), backend + ": descriptor of " + f.name());
            assertEquals(List.of(layout(f.returnType())), normalise(actual.returnLayout().stream().toList()),
                    backend + ": return layout of " + f.name());
        }
        Map<String, Integer> constants = parseConstants();
        assertTrue(constants.keySet().containsAll(List.of("CAPXAI_OK", "CAPXAI_RESIZE_BICUBIC")), constants.toString());
        for (var e : constants.entrySet()) {
            assertEquals(e.getValue(), findStatic(bindings, e.getKey()).invoke(null), backend + ": " + e.getKey());
        }
        // The Java enums and codes that mirror the constants.
        assertEquals(constants.get("CAPXAI_RESIZE_BILINEAR"), ResizeMode.BILINEAR.code);
        assertEquals(constants.get("CAPXAI_RESIZE_BICUBIC"), ResizeMode.BICUBIC.code);
        assertEquals(constants.get("CAPXAI_OK"), KernelException.OK);
        assertEquals(constants.get("CAPXAI_ERR_INVALID"), KernelException.INVALID);
        assertEquals(constants.get("CAPXAI_ERR_NONFINITE"), KernelException.NONFINITE);
        assertEquals(constants.get("CAPXAI_ERR_DEVICE"), KernelException.DEVICE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu"})
    void loaderRequiresEveryHeaderSymbol(String backend) throws Exception {
        assertEquals(new TreeSet<>(parseFunctions().keySet()), new TreeSet<>(NativeLibraries.SYMBOLS),
                "NativeLibraries.SYMBOLS must list the header's functions");
    }

    // --- the header ----------------------------------------------------------------------

    static Map<String, CFunction> parseFunctions() throws Exception {
        String code = Files.readString(HEADER).replaceAll("(?s)/\\*.*?\\*/", "");
        Matcher m = Pattern.compile("(?m)^CAPXAI_API\\s+([^;(]*?)(\\w+)\\s*\\(([^;]*?)\\)\\s*;").matcher(code);
        Map<String, CFunction> functions = new LinkedHashMap<>();
        while (m.find()) {
            List<String> params = new ArrayList<>();
            String args = m.group(3).strip();
            if (!args.equals("void")) {
                for (String p : args.split(",")) {
                    String decl = p.strip().replaceAll("\\s+", " ");
                    params.add(decl.substring(0, decl.lastIndexOf(decl.replaceAll(".*?(\\w+)$", "$1"))).strip());
                }
            }
            functions.put(m.group(2), new CFunction(m.group(2), m.group(1).strip(), params));
        }
        return functions;
    }

    static Map<String, Integer> parseConstants() throws Exception {
        Matcher m = Pattern.compile("(?m)^#define\\s+(CAPXAI_\\w+)\\s+(-?\\d+)").matcher(Files.readString(HEADER));
        Map<String, Integer> constants = new LinkedHashMap<>();
        while (m.find()) {
            constants.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        return constants;
    }

    /** C type -> FFM layout: int32_t JAVA_INT, int64_t JAVA_LONG, float JAVA_FLOAT, any pointer ADDRESS. */
    static MemoryLayout layout(String cType) {
        String t = cType.replace("const", "").strip();
        if (t.endsWith("*")) {
            return ValueLayout.ADDRESS;
        }
        return switch (t) {
            case "int32_t" -> ValueLayout.JAVA_INT;
            case "int64_t" -> ValueLayout.JAVA_LONG;
            case "float" -> ValueLayout.JAVA_FLOAT;
            case "double" -> ValueLayout.JAVA_DOUBLE;
            default -> throw new AssertionError("unmapped C type in the header: " + cType);
        };
    }

    static Class<?> javaType(String cType) {
        return layout(cType) instanceof AddressLayout ? MemorySegment.class
                : ((ValueLayout) layout(cType)).carrier();
    }

    /** jextract's C_POINTER carries a target layout; compare pointers as plain ADDRESS. */
    private static List<MemoryLayout> normalise(List<MemoryLayout> layouts) {
        return layouts.stream().map(l -> l instanceof AddressLayout a ? (MemoryLayout) a.withoutTargetLayout() : l)
                .toList();
    }

    // --- the bindings --------------------------------------------------------------------

    /** Loads the class without initialising it (initialising opens the library). */
    private static Class<?> bindingsClass(String backend) throws ClassNotFoundException {
        return Class.forName("io.capxai.kernels.ffm." + backend + ".capxai_kernels_h", false,
                BindingsTest.class.getClassLoader());
    }

    private static Method findStatic(Class<?> c, String name) {
        for (Method m : c.getMethods()) {
            if (m.getName().equals(name) && Modifier.isStatic(m.getModifiers())) {
                return m;
            }
        }
        fail(c.getName() + " has no public static method " + name);
        return null;
    }

    /**
     * The CPU library must load; the CUDA one may legitimately be absent (no nvcc at build time).
     * Loaded before the bindings class initialises, which looks the library up by name.
     */
    private static void assumeLibrary(String backend) {
        if (backend.equals("cpu")) {
            NativeLibraries.load("capxai_cpu");
            return;
        }
        try {
            NativeLibraries.load("capxai_cuda");
        } catch (BackendUnavailableException e) {
            Assumptions.abort("libcapxai_cuda.so unusable here: " + e.getMessage());
        }
    }
}
