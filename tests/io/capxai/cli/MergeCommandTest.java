package io.capxai.cli;

import io.capxai.tensors.Tensors;
import io.capxai.testing.TinyModelFiles;
import io.capxai.weights.Safetensors;
import io.capxai.weights.StateDict;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code match --shard --partial} on every shard, then {@code merge}, writes the single run's scores. */
class MergeCommandTest {
    @TempDir
    Path dir;
    private Path standalone;
    private Path clip;
    private Path input;

    @BeforeEach
    void models() {
        standalone = TinyModelFiles.standalone(dir);
        clip = TinyModelFiles.clip(dir, "clip.safetensors", 5);
        torch.manual_seed(9);
        input = dir.resolve("in.safetensors");
        Safetensors.write(input, Map.of("input", torch.randn(7, 3, 32, 32)), Map.of());
    }

    private Path partial(String shard, Path clipWeights) {
        Path out = dir.resolve("p" + shard.replaceAll("[^0-9a-z]", "_") + clipWeights.getFileName() + ".safetensors");
        assertEquals(0, new CommandLine(new MatchCommand()).execute("--standalone", standalone.toString(), "--clip", clipWeights.toString(),
                "--input", input.toString(), "--shard", shard, "--partial", out.toString(), "--batch-size", "1"));
        return out;
    }

    /** One image per forward pass everywhere: libtorch's convolutions round differently with the batch's size (~1e-6). */
    @Test
    void mergedShardsWriteTheSingleRunsScores() {
        Path single = dir.resolve("single.safetensors");
        assertEquals(0, new CommandLine(new MatchCommand()).execute("--standalone", standalone.toString(), "--clip", clip.toString(),
                "--input", input.toString(), "--out", single.toString(), "--batch-size", "1"));
        for (String split : new String[] {"3", "2:contiguous"}) {
            int n = Integer.parseInt(split.substring(0, 1));
            List<String> args = new ArrayList<>();
            for (int i = n - 1; i >= 0; i--) {
                args.add(partial(i + "/" + split, clip).toString());
            }
            Path merged = dir.resolve("merged" + n + ".safetensors");
            args.addAll(List.of("--out", merged.toString()));
            assertEquals(0, merge(args.toArray(String[]::new)).code, split);
            assertSameScores(Safetensors.read(single), Safetensors.read(merged));
        }
    }

    @Test
    void duplicateIncompleteAndForeignPartialsAreRefused() {
        Path p0 = partial("0/3", clip);
        Path p1 = partial("1/3", clip);
        Path p2 = partial("2/3", clip);
        Path out = dir.resolve("out.safetensors");
        Result dup = merge(p0.toString(), p1.toString(), p0.toString(), p2.toString(), "--out", out.toString());
        assertNotEquals(0, dup.code);
        assertTrue(dup.err.contains("shard 0/3 is in both partials"), dup.err);
        Result missing = merge(p0.toString(), p2.toString(), "--out", out.toString());
        assertNotEquals(0, missing.code);
        assertTrue(missing.err.contains("the others are missing"), missing.err);

        Path otherClip = TinyModelFiles.clip(dir, "clip2.safetensors", 6);
        Result foreign = merge(p0.toString(), p1.toString(), partial("2/3", otherClip).toString(), "--out", out.toString());
        assertNotEquals(0, foreign.code);
        assertTrue(foreign.err.contains("different runs: clip.sha256"), foreign.err);
    }

    private static void assertSameScores(StateDict expected, StateDict actual) {
        float[] e = Tensors.toFloats(expected.get("scores"));
        float[] a = Tensors.toFloats(actual.get("scores"));
        assertEquals(e.length, a.length);
        float largest = 0;
        for (float v : e) {
            largest = Math.max(largest, Math.abs(v));
        }
        assertTrue(largest > 0.05f, "scores should not vanish: " + largest);
        for (int k = 0; k < e.length; k++) {
            assertEquals(e[k], a[k], 1e-6 * largest, "score " + k);
        }
        for (String s : new String[] {"standalone_mean", "standalone_std", "clip_mean", "clip_std"}) {
            float[] x = Tensors.toFloats(expected.get(s));
            float[] y = Tensors.toFloats(actual.get(s));
            for (int k = 0; k < x.length; k++) {
                assertEquals(x[k], y[k], 1e-6 * Math.abs(x[k]), s + " " + k); // float32 in the file
            }
        }
        assertEquals(expected.metadata().get("images"), actual.metadata().get("images"));
    }

    private record Result(int code, String err) {}

    private static Result merge(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new MergeCommand());
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        return new Result(cli.execute(args), err.toString());
    }
}
