package io.capxai.tensors;

import org.bytedeco.pytorch.Context;
import org.bytedeco.pytorch.global.torch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which of libtorch's CPU convolution back-ends may run on this host.
 *
 * <p>libtorch's oneDNN dies with SIGFPE on some hosts (seen on an AMD EPYC family-26 VM that reports an
 * L3 of 508 MiB with associativity 0: oneDNN sizes its blocking from that geometry) when it creates a
 * convolution backward-data primitive. A native crash kills the JVM, so the decision is taken before it
 * can happen: a {@link ConvolutionProbe} runs the engine's convolution shapes in a child JVM, once per
 * machine (CPU model, cache geometry, libtorch build), and the answer is cached. Only what died is turned
 * off: forward passes keep oneDNN when only backward died (without it they are ~40 % slower there).
 *
 * <p>Where the probe fails, it runs again with oneDNN's instruction set capped ({@value #ISA_ENV} =
 * AVX2, then AVX, then SSE41): the crashing code paths (brgemm convolutions) need the wider
 * instruction sets, and a capped oneDNN that passes both stages trains several times faster than
 * libtorch's other backward kernels (bench/RESULTS.md). The cap found is set in the process's
 * environment before libtorch's first convolution (oneDNN reads it once, at its first use). A cap the
 * user set is left alone and not searched past.
 *
 * <p>Force a mode with the system property {@value #PROPERTY} or the environment variable {@value #ENV}:
 * {@code auto} (the probe, default), {@code on}, {@code off}, {@code forward} (forward passes only).
 * NNPACK is turned off where the probe saw it fail to initialise.
 */
public final class OneDnn {
    public static final String PROPERTY = "capxai.onednn";
    public static final String ENV = "CAPXAI_ONEDNN";
    /** Bump when the probe changes, so cached answers are re-earned (2: results compared with the reference). */
    static final int PROBE_VERSION = 3;
    /** oneDNN's instruction-set cap (its older name, {@code DNNL_MAX_CPU_ISA}, is honoured too). */
    static final String ISA_ENV = "ONEDNN_MAX_CPU_ISA";
    /** Caps tried, widest first, when the uncapped probe fails. */
    static final List<String> ISA_CAPS = List.of("AVX2", "AVX", "SSE41");
    private static final System.Logger LOG = System.getLogger(OneDnn.class.getName());

    /** Where oneDNN may run. */
    public enum Mode {
        /** Probe this machine (cached), then one of the others. */
        AUTO,
        /** Forward and backward passes. */
        ON,
        /** Forward passes only; backward passes use libtorch's other kernels. */
        FORWARD,
        /** Never. */
        OFF
    }

    /** What the probe found: the mode to use, whether NNPACK initialises, why, and the instruction-set cap (null: none). */
    public record Verdict(Mode mode, boolean nnpack, String reason, String isaCap) {
        Verdict(Mode mode, boolean nnpack, String reason) {
            this(mode, nnpack, reason, null);
        }
    }

    private static volatile Mode active = Mode.ON;
    private static volatile String activeIsaCap;
    private static int backwardDepth;

    private OneDnn() {}

    /** The requested mode (property, then environment, then AUTO). */
    public static Mode requested() {
        String value = System.getProperty(PROPERTY, System.getenv(ENV));
        if (value == null || value.isBlank()) {
            return Mode.AUTO;
        }
        try {
            return Mode.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ENV + "/" + PROPERTY + " must be auto, on, forward or off, got '" + value + "'");
        }
    }

    /** The mode in force for this process (after {@link Libtorch#configure()}). */
    public static Mode active() {
        return active;
    }

    /** The mode and the instruction-set cap in force, in words ("forward", "on, instruction set capped at AVX"). */
    public static String describe() {
        String mode = active.name().toLowerCase(Locale.ROOT);
        return activeIsaCap == null ? mode : mode + ", instruction set capped at " + activeIsaCap;
    }

    static void configure() {
        Mode mode = requested();
        Verdict verdict;
        if (mode == Mode.AUTO) {
            verdict = verdictForThisMachine();
            mode = verdict.mode();
            if (verdict.isaCap() != null && !Libtorch.setEnvironment(ISA_ENV, verdict.isaCap())) {
                mode = Mode.OFF; // the cap cannot be set: what is safe uncapped is not known here
                System.err.println("capxai: could not set " + ISA_ENV + "; libtorch's oneDNN is off");
            } else if (verdict.isaCap() != null) {
                activeIsaCap = verdict.isaCap();
                System.err.println("capxai: libtorch's oneDNN runs with its instruction set capped at " + verdict.isaCap()
                        + " on this machine (uncapped, " + verdict.reason() + "); set " + ENV + "=on|forward|off to choose");
            } else if (mode != Mode.ON) {
                System.err.println("capxai: libtorch's oneDNN " + (mode == Mode.OFF ? "is off" : "is off for backward passes")
                        + " on this machine (" + verdict.reason() + "); set " + ENV + "=on|forward|off to choose");
            }
        } else {
            verdict = cached(cacheFile()); // NNPACK: what an earlier probe saw, if any
        }
        apply(mode);
        if (verdict != null && !verdict.nnpack()) {
            torch.globalContext().setUserEnabledNNPACK(false);
        }
    }

    /** Sets the mode for this process (tests, and applications that decide themselves). */
    public static synchronized void apply(Mode mode) {
        if (mode == Mode.AUTO) {
            throw new IllegalArgumentException("apply a decided mode (on, forward, off), not auto");
        }
        active = mode;
        if (backwardDepth == 0) {
            torch.globalContext().setUserEnabledMkldnn(mode != Mode.OFF);
        }
    }

    /** Turns oneDNN off while a backward pass runs, when the mode says so; nests across threads. */
    static synchronized void enterBackward() {
        if (backwardDepth++ == 0 && active == Mode.FORWARD) {
            torch.globalContext().setUserEnabledMkldnn(false);
        }
    }

    static synchronized void exitBackward() {
        if (--backwardDepth == 0 && active == Mode.FORWARD) {
            torch.globalContext().setUserEnabledMkldnn(true);
        }
    }

    /** Whether libtorch would use oneDNN for a convolution right now. */
    public static boolean enabledNow() {
        Context context = torch.globalContext();
        return Context.hasMKLDNN() && context.userEnabledMkldnn();
    }

    /** The cached verdict for this machine, probing it first when there is none. */
    static Verdict verdictForThisMachine() {
        Path file = cacheFile();
        Verdict verdict = cached(file);
        if (verdict == null) {
            System.err.println("capxai: checking libtorch's CPU convolutions on this machine (once; cached in " + file.getParent() + ")");
            verdict = probeWithIsaCaps(OneDnn::probe);
            store(file, verdict);
        }
        return verdict;
    }

    /**
     * The probe as the process is; when oneDNN is not sound that way and the user set no cap, again under
     * each of {@link #ISA_CAPS}: the first cap that passes both stages gives {@link Mode#ON} with that cap.
     */
    static Verdict probeWithIsaCaps(Function<List<String>, Verdict> probe) {
        Verdict uncapped = probe.apply(List.of());
        if (uncapped.mode() == Mode.ON || userIsaCap() != null) {
            return uncapped;
        }
        for (String cap : ISA_CAPS) {
            Verdict capped = probe.apply(List.of(ISA_ENV + "=" + cap));
            if (capped.mode() == Mode.ON) {
                return new Verdict(Mode.ON, uncapped.nnpack() && capped.nnpack(), uncapped.reason(), cap);
            }
        }
        return uncapped;
    }

    /** The instruction-set cap the user gave oneDNN in the environment, or null. */
    private static String userIsaCap() {
        String cap = System.getenv(ISA_ENV);
        return cap != null ? cap : System.getenv("DNNL_MAX_CPU_ISA");
    }

    /**
     * Runs {@link ConvolutionProbe} in a child JVM and reads how far it got. {@code extraEnv} holds
     * {@code NAME=value} pairs for the child (tests make it die on purpose).
     */
    static Verdict probe(List<String> extraEnv) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-D" + PROPERTY + "=on");
        // a crash report belongs in the temporary folder, not in the user's working directory
        command.add("-XX:ErrorFile=" + Path.of(System.getProperty("java.io.tmpdir"), "capxai-probe-hs_err_%p.log"));
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.startsWith("org.bytedeco.") || key.equals(Libtorch.THREADS_PROPERTY)) {
                command.add("-D" + key + "=" + System.getProperty(key));
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ConvolutionProbe.class.getName());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        for (String pair : extraEnv) {
            int eq = pair.indexOf('=');
            builder.environment().put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        try {
            Process child = builder.start();
            String output;
            try (InputStream in = child.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!child.waitFor(10, TimeUnit.MINUTES)) {
                child.destroyForcibly();
            }
            return verdict(child.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the libtorch convolution probe: " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while probing libtorch's convolutions", e);
        }
    }

    /** Reads a finished child: which stages completed, and whether NNPACK complained. */
    static Verdict verdict(int exitCode, String output) {
        boolean forward = output.contains(ConvolutionProbe.FORWARD_OK);
        boolean backward = output.contains(ConvolutionProbe.BACKWARD_OK);
        boolean nnpack = !output.contains("Could not initialize NNPACK");
        String exit = exitCode > 128 ? "signal " + (exitCode - 128) : "exit " + exitCode;
        exit += crashSummary(output);
        if (forward && backward && exitCode == 0) {
            return new Verdict(Mode.ON, nnpack, "probe passed");
        }
        Matcher wrong = Pattern.compile(Pattern.quote(ConvolutionProbe.WRONG) + " (forward|backward)[^\n]*").matcher(output);
        if (wrong.find()) {
            return new Verdict(wrong.group(1).equals("forward") ? Mode.OFF : Mode.FORWARD, nnpack,
                    "the probe's convolutions gave " + wrong.group().strip());
        }
        if (forward) {
            return new Verdict(Mode.FORWARD, nnpack, "the probe's backward convolutions died: " + exit);
        }
        String tail = output.strip();
        tail = tail.substring(Math.max(0, tail.length() - 300));
        return new Verdict(Mode.OFF, nnpack, "the probe's forward convolutions died: " + exit
                + (tail.isEmpty() ? "" : "; last output: " + tail.replace('\n', ' ')));
    }

    /** The signal and native frame from the JVM's crash report in the child's output ("" when none). */
    static String crashSummary(String output) {
        Matcher signal = Pattern.compile("#\\s+(SIG[A-Z]+) \\(").matcher(output);
        Matcher frame = Pattern.compile("# C\\s+\\[([^\\]]+)\\]\\s+(\\S+)").matcher(output);
        return (signal.find() ? ", " + signal.group(1) : "") + (frame.find() ? " in " + frame.group(1) + " " + frame.group(2) : "");
    }

    /** One file per machine and libtorch build. */
    static Path cacheFile() {
        return CacheDir.resolve("libtorch-probe", "v" + PROBE_VERSION + "-" + machineKey() + ".properties");
    }

    /** CPU model, cache geometry, libtorch jar, the user's oneDNN cap: what the probe's answer depends on. */
    static String machineKey() {
        StringBuilder key = new StringBuilder(System.getProperty("os.arch"));
        key.append('|').append(firstLine(Path.of("/proc/cpuinfo"), "model name"));
        key.append('|').append(firstLine(Path.of("/proc/cpuinfo"), "cpu family"));
        for (int level = 0; level < 5; level++) {
            Path index = Path.of("/sys/devices/system/cpu/cpu0/cache/index" + level);
            key.append('|').append(read(index.resolve("size"))).append('/').append(read(index.resolve("ways_of_associativity")));
        }
        key.append('|').append(getconfCaches());
        key.append('|').append(Context.class.getProtectionDomain().getCodeSource().getLocation());
        key.append('|').append(userIsaCap()); // the child inherits it
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String getconfCaches() {
        try {
            Process p = new ProcessBuilder("getconf", "-a").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            StringBuilder caches = new StringBuilder();
            out.lines().filter(l -> l.startsWith("LEVEL")).forEach(l -> caches.append(l.replaceAll("\\s+", "=")).append(';'));
            return caches.toString();
        } catch (IOException e) {
            return "no getconf";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "no getconf";
        }
    }

    private static String firstLine(Path file, String prefix) {
        try {
            return Files.readAllLines(file).stream().filter(l -> l.startsWith(prefix)).findFirst().orElse("").strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            return "";
        }
    }

    static Verdict cached(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
            return new Verdict(Mode.valueOf(p.getProperty("mode")), Boolean.parseBoolean(p.getProperty("nnpack")),
                    p.getProperty("reason", ""), p.getProperty("isa"));
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "ignoring an unreadable probe cache " + file + ": " + e);
            return null;
        }
    }

    static void store(Path file, Verdict verdict) {
        Properties p = new Properties();
        p.setProperty("mode", verdict.mode().name());
        p.setProperty("nnpack", Boolean.toString(verdict.nnpack()));
        p.setProperty("reason", verdict.reason());
        if (verdict.isaCap() != null) {
            p.setProperty("isa", verdict.isaCap());
        }
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "probe", ".tmp");
            try (var out = Files.newOutputStream(tmp)) {
                p.store(out, "libtorch convolution probe, " + machineKey());
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not cache the probe's answer in " + file + ": " + e);
        }
    }
}
