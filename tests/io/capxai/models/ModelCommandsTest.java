package io.capxai.models;

import io.capxai.cli.ForwardCommand;
import io.capxai.cli.TapsCommand;
import io.capxai.weights.Safetensors;
import io.capxai.weights.StateDict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

import static io.capxai.models.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The thin CLI commands over the models: taps listing and forward to a file. */
class ModelCommandsTest {

    private static String run(Object command, String... args) {
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(out));
        int code = cl.execute(args);
        assertEquals(0, code, out.toString());
        return out.toString();
    }

    @Test
    void tapsListsTheClipStagesAtTheTowerResolution() {
        String out = run(new TapsCommand(), "--weights", Fixtures.dir().resolve("clip_rn.weights.safetensors").toString());
        assertTrue(out.contains("visual.layer4 [1, 512, 2, 2]"), out);
        assertTrue(out.contains("# 4 taps, 960 channels"), out);
    }

    @Test
    void forwardWritesOutputAndTapsThatMatchPyTorch(@TempDir Path tmp) {
        StateDict expected = Fixtures.expected("resnet18");
        Path in = tmp.resolve("in.safetensors");
        Path outFile = tmp.resolve("out.safetensors");
        Safetensors.write(in, Map.of("input", expected.get("input")), Map.of());
        run(new ForwardCommand(), "--weights", Fixtures.dir().resolve("resnet18.weights.safetensors").toString(),
                "--arch", "resnet", "--input", in.toString(), "--out", outFile.toString(), "--taps", "conv1,layer3");
        StateDict written = Safetensors.read(outFile);
        assertClose(expected.get("output"), written.get("output"), "forward output");
        assertClose(expected.get("tap.conv1"), written.get("conv1"), "forward tap conv1");
        assertClose(expected.get("tap.layer3"), written.get("layer3"), "forward tap layer3");
        assertEquals("ResNet-18", written.metadata().get("model"));
    }

    @Test
    void forwardWithDefaultTapsWritesTheFourClipStages(@TempDir Path tmp) {
        StateDict expected = Fixtures.expected("clip_rn");
        Path in = tmp.resolve("in.safetensors");
        Path outFile = tmp.resolve("out.safetensors");
        Safetensors.write(in, Map.of("input", expected.get("input")), Map.of());
        run(new ForwardCommand(), "--weights", Fixtures.dir().resolve("clip_rn.weights.safetensors").toString(),
                "--input", in.toString(), "--out", outFile.toString(), "--taps", "default");
        StateDict written = Safetensors.read(outFile);
        assertEquals(java.util.Set.of("output", "visual.layer1", "visual.layer2", "visual.layer3", "visual.layer4"),
                written.keys());
        assertClose(expected.get("output"), written.get("output"), "CLIP image embedding");
        assertClose(expected.get("tap.visual.layer4"), written.get("visual.layer4"), "visual.layer4");
    }

    @Test
    void aMissingWeightFileIsAnErrorNotACrash(@TempDir Path tmp) {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new TapsCommand());
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("--weights", tmp.resolve("nope.safetensors").toString());
        assertNotEquals(0, code);
        assertTrue(err.toString().contains("nope.safetensors"), err.toString());
    }
}
