package io.capxai.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.capxai.models.ClipModel;
import io.capxai.models.RandomWeights;
import io.capxai.models.text.ClipTokenizer;
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

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExplainCommandTest {
    @TempDir
    Path dir;

    private Path smallClip() {
        StateDict weights = RandomWeights.clipViT(64, 4, 16, 64, 32, 64, 4, ClipTokenizer.VOCAB_SIZE, 1);
        Path file = dir.resolve("clip.safetensors");
        Safetensors.write(file, ClipModel.fromStateDict(weights).stateDict(), Map.of());
        return file;
    }

    private Path picture(String name, int seed) throws Exception {
        BufferedImage img = new BufferedImage(80, 64, BufferedImage.TYPE_INT_RGB);
        java.util.Random rng = new java.util.Random(seed);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 80; x++) {
                img.setRGB(x, y, rng.nextInt(1 << 24));
            }
        }
        Path file = dir.resolve("images").resolve(name);
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    private int run(String... args) {
        CommandLine cli = new CommandLine(new ExplainCommand());
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(new StringWriter()));
        return cli.execute(args);
    }

    @Test
    void writesTheThreeFilesForM2ib() throws Exception {
        Path clip = smallClip();
        Path image = picture("a.png", 1);
        Path out = dir.resolve("out");
        assertEquals(0, run("--clip", clip.toString(), "--image", image.toString(), "--text", "a photo of a cat",
                "--out", out.toString(), "--steps", "2", "--model-name", "tiny"));
        BufferedImage png = ImageIO.read(out.resolve("map.png").toFile());
        assertEquals(64, png.getWidth());
        StateDict maps = Safetensors.read(out.resolve("map.safetensors"));
        assertArrayEquals(new long[] {64, 64}, maps.shapeOf("image_map"));
        assertArrayEquals(new long[] {7}, maps.shapeOf("text_map"), "SOT, 5 word tokens, EOT");
        float[] imageMap = Tensors.toFloats(maps.get("image_map"));
        assertEquals(1f, (float) java.util.Arrays.stream(box(imageMap)).max().orElse(0), 1e-6);
        JsonNode json = JsonMapper.builder().build().readTree(out.resolve("explain.json").toFile());
        assertEquals("m2ib", json.get("method").asText());
        assertEquals("tiny", json.get("model").asText());
        assertEquals("2", json.get("options").get("steps").asText());
        assertTrue(json.get("metrics").has("image_confidence_drop"));
        assertTrue(json.get("metrics").has("text_confidence_drop"));
        assertEquals(5, json.get("text_relevance").size());
    }

    @Test
    void batchModeExplainsEveryImageOfAFolder() throws Exception {
        Path clip = smallClip();
        picture("one.png", 1);
        picture("two.png", 2);
        Path out = dir.resolve("batch");
        assertEquals(0, run("--method", "gradcam", "--clip", clip.toString(), "--image", dir.resolve("images").toString(),
                "--text", "a dog", "--out", out.toString()));
        for (String name : new String[] {"one", "two"}) {
            assertTrue(Files.exists(out.resolve(name).resolve("map.png")), name);
            assertTrue(Files.exists(out.resolve(name).resolve("explain.json")), name);
            assertTrue(Safetensors.read(out.resolve(name).resolve("map.safetensors")).contains("image_map"));
        }
    }

    @Test
    void badInputsFailWithoutACrash() throws Exception {
        Path clip = smallClip();
        assertNotEquals(0, run("--clip", clip.toString(), "--image", dir.resolve("missing.png").toString(), "--text", "x",
                "--out", dir.resolve("o").toString()));
        Path junk = dir.resolve("junk.png");
        Files.writeString(junk, "not an image");
        assertNotEquals(0, run("--clip", clip.toString(), "--image", junk.toString(), "--text", "x",
                "--out", dir.resolve("o").toString()));
        assertNotEquals(0, run("--method", "lime", "--clip", clip.toString(), "--image", picture("p.png", 3).toString(),
                "--text", "x", "--out", dir.resolve("o").toString()));
    }

    private static double[] box(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
