package io.capxai.cli;

import io.capxai.kernels.BackendUnavailableException;
import io.capxai.kernels.KernelBackend;
import io.capxai.kernels.KernelSelfTest;
import io.capxai.kernels.Kernels;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** {@code capxai kernels selftest}: every kernel of every available backend against the float64 reference. */
@Command(name = "kernels", mixinStandardHelpOptions = true,
        description = "Native kernel backends (CPU, CUDA).")
public final class KernelsCommand {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Command(name = "selftest", mixinStandardHelpOptions = true,
            description = "Runs each kernel on random inputs (odd shapes, large means) against the Java float64 "
                    + "reference; prints the max relative error per kernel and backend. Exit code 1 on any failure.")
    int selftest(
            @Option(names = "--seed", description = "Random seed (default: the clock).") Long seed,
            @Option(names = {"-v", "--verbose"}, description = "One line per input case, not per kernel.")
            boolean verbose) {
        PrintWriter out = spec.commandLine().getOut();
        long actualSeed = seed != null ? seed : System.nanoTime();
        out.println("kernel selftest, seed " + actualSeed);
        Map<String, Supplier<KernelBackend>> backends = new LinkedHashMap<>();
        backends.put("cpu", Kernels::cpu);
        backends.put("cuda", Kernels::cuda);
        boolean failed = false;
        int ran = 0;
        for (var entry : backends.entrySet()) {
            KernelBackend backend;
            try {
                backend = entry.getValue().get();
            } catch (BackendUnavailableException e) {
                out.printf("%-15s %-5s SKIPPED: %s%n", "*", entry.getKey(), e.getMessage());
                failed |= entry.getKey().equals("cpu"); // the CPU library is always built
                continue;
            }
            List<KernelSelfTest.Result> results = KernelSelfTest.all(backend, actualSeed);
            for (var r : verbose ? results : worstPerKernel(results)) {
                out.println(verbose ? r.toString() : String.format("%-15s %-5s max rel err %.2e (tol %.0e) %s",
                        r.kernel(), r.backend(), r.maxRelativeError(), r.tolerance(), r.passed() ? "PASS" : "FAIL"));
                failed |= !r.passed();
            }
            ran++;
        }
        out.println(failed ? "FAILED" : "all kernels PASS on " + ran + " backend(s)");
        out.flush();
        return failed ? 1 : 0;
    }

    /** One result per kernel: the case with the largest error relative to its tolerance (NaN counts as worst). */
    static List<KernelSelfTest.Result> worstPerKernel(List<KernelSelfTest.Result> results) {
        Map<String, KernelSelfTest.Result> worst = new LinkedHashMap<>();
        for (var r : results) {
            worst.merge(r.kernel(), r, (a, b) -> badness(b) > badness(a) ? b : a);
        }
        return new ArrayList<>(worst.values());
    }

    private static double badness(KernelSelfTest.Result r) {
        return Double.isNaN(r.maxRelativeError()) ? Double.POSITIVE_INFINITY : r.maxRelativeError() / r.tolerance();
    }
}
