package io.capxai.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capxai.models.RandomWeights;
import io.capxai.tensors.Tensors;
import io.capxai.weights.Safetensors;
import io.capxai.weights.StateDict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ConceptCommandTest {
    @TempDir
    Path dir;

    private int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cl = new CommandLine(new ConceptCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void listsHyponyms() {
        StringWriter out = new StringWriter();
        assertEquals(0, run(out, new StringWriter(), "--list-hyponyms", "footwear.n.02"));
        String s = out.toString();
        assertTrue(s.startsWith("footwear.n.02 (n03380867)"), s);
        assertTrue(s.contains("sandal.n.01"));
        assertTrue(s.contains("boot.n.01"));
        assertFalse(s.contains("dress.n.01"));
    }

    @Test
    void writesMapSafetensorsAndJsonAndTheSweepGivesTheSameMap() throws Exception {
        Path clip = dir.resolve("clip.safetensors");
        Safetensors.write(clip, RandomWeights.clipResNet(new int[] {1, 1, 1, 1}, 16, 32, 32, 64, 1, 49408, 5).asMap(), Map.of());
        Path vocab = dir.resolve("vocab.txt");
        Files.writeString(vocab, "# test\nsandal\ndress\n");
        Path img = dir.resolve("img.png");
        BufferedImage b = new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB);
        for (int y = 5; y < 20; y++) for (int x = 5; x < 20; x++) b.setRGB(x, y, 0xFF2020);
        ImageIO.write(b, "png", img.toFile());
        String[] common = {"--clip", clip.toString(), "--image", img.toString(), "--vocabulary", vocab.toString(),
                "--box-sizes", "16,8", "--stride", "8", "--border", "16"};
        Path grid = dir.resolve("grid");
        StringWriter err = new StringWriter();
        assertEquals(0, run(new StringWriter(), err, concat(common, "--concept", "footwear.n.02", "--out", grid.toString())), err.toString());
        assertTrue(Files.size(grid.resolve("map.png")) > 0);
        StateDict map = Safetensors.read(grid.resolve("map.safetensors"));
        assertArrayEquals(new long[] {32, 32}, map.shapeOf("image_map"));
        JsonNode json = new ObjectMapper().readTree(grid.resolve("concept.json").toFile());
        assertEquals("n03380867", json.get("synset").asText());
        assertTrue(json.get("subtree_size").asInt() >= 3);
        assertEquals("[16, 8]", json.get("options").get("box_sizes").asText());
        assertTrue(json.get("options").get("model").asText().contains("CLIP-style model trained locally"));

        Path sweepDir = dir.resolve("sweep");
        assertEquals(0, run(new StringWriter(), err, concat(common, "--all-concepts", "--out", sweepDir.toString())), err.toString());
        Path fromSweep = dir.resolve("fromSweep");
        assertEquals(0, run(new StringWriter(), err, "--sweep", sweepDir.resolve("sweep.safetensors").toString(),
                "--vocabulary", vocab.toString(), "--concept", "footwear.n.02", "--out", fromSweep.toString()), err.toString());
        assertArrayEquals(Tensors.toFloats(map.get("image_map")),
                Tensors.toFloats(Safetensors.read(fromSweep.resolve("map.safetensors")).get("image_map")), 1e-6f);
    }

    @Test
    void badInputsAreClearErrors() {
        StringWriter err = new StringWriter();
        assertNotEquals(0, run(new StringWriter(), err, "--out", dir.toString(), "--concept", "sandal"));
        assertTrue(err.toString().contains("--clip and --image are required"), err.toString());
        err = new StringWriter();
        assertNotEquals(0, run(new StringWriter(), err, "--list-hyponyms", "qwxzzy"));
        assertTrue(err.toString().contains("qwxzzy"), err.toString());
        err = new StringWriter();
        assertNotEquals(0, run(new StringWriter(), err, "--sweep", dir.resolve("missing.safetensors").toString(),
                "--concept", "sandal", "--out", dir.toString()));
        assertTrue(err.toString().contains("missing.safetensors"), err.toString());
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
