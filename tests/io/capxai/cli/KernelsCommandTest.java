package io.capxai.cli;

import io.capxai.kernels.KernelSelfTest;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelsCommandTest {
    @Test
    void selftestPrintsOneLinePerKernelAndBackendAndPasses() {
        StringWriter text = new StringWriter();
        CommandLine cli = new CommandLine(new KernelsCommand());
        cli.setOut(new PrintWriter(text));
        int code = cli.execute("selftest", "--seed", "7");
        String out = text.toString();
        assertEquals(0, code, out);
        for (String kernel : List.of("moments ", "moments_merge", "resize_adjoint", "resize ", "weighted_sum",
                "cross_moment", "surgery_apply")) {
            assertTrue(out.lines().anyMatch(l -> l.startsWith(kernel) && l.contains(" cpu ") && l.endsWith("PASS")),
                    "no PASS line for " + kernel + " on cpu:\n" + out);
        }
        assertTrue(out.lines().anyMatch(l -> l.contains("cuda") && (l.contains("PASS") || l.contains("SKIPPED"))), out);
    }

    @Test
    void theWorstCaseOfAKernelDecidesItsLine() {
        var ok = new KernelSelfTest.Result("resize", "cpu", "a", 1e-7, 1e-5);
        var bad = new KernelSelfTest.Result("resize", "cpu", "b", 1e-3, 1e-5);
        var nan = new KernelSelfTest.Result("moments", "cpu", "c", Double.NaN, 1e-7);
        var worst = KernelsCommand.worstPerKernel(List.of(ok, bad, nan));
        assertEquals(List.of(bad, nan), worst);
        assertTrue(!worst.get(1).passed(), "NaN error must fail");
    }
}
