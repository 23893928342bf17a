package io.capxai.cli;

import io.capxai.tensors.Device;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --device on every command that runs models, parsed and refused in one place. */
class DeviceOptionTest {
    /** Every command that loads or runs a model, as typed after "capxai". */
    static final List<String> MODEL_COMMANDS = List.of("audit", "match", "demo", "explain", "concept", "forward", "encode-text",
            "train standalone", "train clip", "bench audit", "bench explain", "bench concept");

    @Test
    void everyModelCommandHasTheDeviceOption() {
        CommandLine main = new CommandLine(new Main());
        for (String path : MODEL_COMMANDS) {
            CommandLine cmd = main;
            for (String name : path.split(" ")) {
                cmd = cmd.getSubcommands().get(name);
                assertNotNull(cmd, "no command " + path);
            }
            CommandLine.Model.OptionSpec option = cmd.getCommandSpec().findOption("--device");
            assertNotNull(option, path + " lacks --device");
            assertEquals("auto", option.defaultValue(), path);
        }
    }

    @Test
    void malformedValuesAreRefusedWithOneLine() {
        String err = run("forward", "--device", "gpu", "--weights", "w", "--input", "i", "--out", "o");
        assertTrue(err.startsWith("Invalid value for option '--device': device: expected cpu, cuda, cuda:N or auto,"
                + " got 'gpu'"), err);
    }

    @Test
    void cudaOnACpuBuildIsRefusedBeforeAnyWork() {
        Assumptions.assumeFalse(Device.CudaAvailability.LIBTORCH.libtorchHasCuda(), "this libtorch has CUDA support (-Pgpu)");
        String err = run("forward", "--device", "cuda:1", "--weights", "missing.safetensors", "--input", "i", "--out", "o");
        assertTrue(err.startsWith("Invalid value for option '--device': cuda:1 requested, but this build's libtorch"
                + " has no CUDA support: build with -Pgpu"), err);
    }

    private static String run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new Main());
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute(args);
        assertEquals(2, code, "usage error exit code; stderr: " + err);
        return err.toString();
    }
}
