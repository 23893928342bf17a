package io.capxai.cli;

import io.capxai.tensors.Device;
import io.capxai.tensors.Tensors;
import io.capxai.weights.Safetensors;
import io.capxai.weights.StateDict;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --devices on audit, match and demo: parsing, every refusal, and match split over CPU workers. */
class DevicesOptionTest {
    @TempDir
    Path dir;

    @Test
    void onlyTheCommandsThatSplitImagesHaveIt() {
        CommandLine main = new CommandLine(new Main());
        for (String path : DeviceOptionTest.MODEL_COMMANDS) {
            CommandLine cmd = main;
            for (String name : path.split(" ")) {
                cmd = cmd.getSubcommands().get(name);
            }
            CommandLine.Model.OptionSpec option = cmd.getCommandSpec().findOption("--devices");
            if (List.of("audit", "match", "demo").contains(path)) {
                assertNotNull(option, path + " lacks --devices");
                assertNotNull(cmd.getCommandSpec().findOption("--device"), path + " lacks --device");
            } else {
                assertNull(option, path + " runs on one device and must not offer --devices");
            }
        }
    }

    @Test
    void parsesAListOfDevices() {
        MatchCommand match = new MatchCommand();
        new CommandLine(match).parseArgs("--devices", "cpu,cpu,cpu", "--standalone", "s", "--clip", "c", "--input", "i", "--out", "o");
        assertEquals(List.of(Device.CPU, Device.CPU, Device.CPU), match.device.list());
        MatchCommand one = new MatchCommand();
        new CommandLine(one).parseArgs("--device", "cpu", "--standalone", "s", "--clip", "c", "--input", "i", "--out", "o");
        assertEquals(List.of(Device.CPU), one.device.list());
    }

    @Test
    void refusalsNameWhatIsWrong() {
        assertTrue(usageError("--devices", "cuda:1,cuda:1").startsWith("Invalid value for option '--devices':"
                + " devices: cuda:1 is listed twice"));
        assertTrue(usageError("--devices", "auto,cpu").startsWith("Invalid value for option '--devices':"
                + " devices: 'auto' cannot be part of a list; name each device"));
        assertTrue(usageError("--devices", "cpu,gpu").startsWith("Invalid value for option '--devices':"
                + " device: expected cpu, cuda, cuda:N or auto, got 'gpu'"));
        String both = usageError("--device", "cpu", "--devices", "cpu,cpu");
        assertTrue(both.startsWith("--device and --devices together: give one of them (--devices cpu,cpu already names"
                + " every device)"), both);
    }

    @Test
    void aGpuListOnACpuBuildIsRefusedBeforeAnyWork() {
        Assumptions.assumeFalse(Device.CudaAvailability.LIBTORCH.libtorchHasCuda(), "this libtorch has CUDA support (-Pgpu)");
        String err = usageError("--devices", "cuda:0,cuda:1");
        assertTrue(err.startsWith("Invalid value for option '--devices': cuda:0 requested, but this build's libtorch"
                + " has no CUDA support: build with -Pgpu"), err);
    }

    @Test
    void matchOverThreeCpuWorkersWritesTheSameScoresAndStatistics() {
        Path[] files = MatchCommandTest.tinyModelsAndInput(dir, 7); // 7 = 2 + 2 + 3 images
        Path one = dir.resolve("one.safetensors");
        Path three = dir.resolve("three.safetensors");
        String[] common = {"--standalone", files[0].toString(), "--clip", files[1].toString(), "--input", files[2].toString(),
                "--batch-size", "2"};
        assertEquals(0, run(common, "--out", one.toString(), "--device", "cpu"));
        assertEquals(0, run(common, "--out", three.toString(), "--devices", "cpu,cpu,cpu"));
        StateDict a = Safetensors.read(one);
        StateDict b = Safetensors.read(three);
        assertEquals(a.metadata(), b.metadata());
        for (String key : List.of("scores", "standalone_mean", "standalone_std", "clip_mean", "clip_std")) {
            float[] x = Tensors.toFloats(a.get(key));
            float[] y = Tensors.toFloats(b.get(key));
            double largest = 0;
            for (float v : x) {
                largest = Math.max(largest, Math.abs(v));
            }
            assertTrue(largest > 0, key);
            for (int i = 0; i < x.length; i++) {
                assertEquals(x[i], y[i], 1e-6 * largest, key + " " + i);
            }
        }

        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new MatchCommand());
        cli.setErr(new PrintWriter(err));
        String[] reference = {"--out", dir.resolve("ref.safetensors").toString(), "--devices", "cpu,cpu", "--engine", "reference"};
        assertTrue(cli.execute(concat(common, reference)) != 0);
        assertTrue(err.toString().contains("the reference engine runs on one device (it needs every image at once);"
                + " 2 devices were given: use the fused engine"), err.toString());
    }

    /** Runs match with its required options and the given ones; a usage error (exit 2) and its message. */
    private static String usageError(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new Main());
        cmd.setErr(new PrintWriter(err));
        String[] required = {"match", "--standalone", "missing.safetensors", "--clip", "c", "--input", "i", "--out", "o"};
        int code = cmd.execute(concat(required, args));
        assertEquals(2, code, "usage error exit code; stderr: " + err);
        return err.toString();
    }

    private static int run(String[] common, String... more) {
        return new CommandLine(new MatchCommand()).execute(concat(common, more));
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
