package io.capxai.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capxai.data.RgbImage;
import io.capxai.models.RandomWeights;
import io.capxai.weights.Safetensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuditCommandTest {
    @TempDir
    Path dir;

    /** A folder of random red or green blobs labelled with shape (5/8) and colour, plus its labels.csv. */
    private Path folder(String name, int images, long seed) throws IOException {
        Path d = Files.createDirectories(dir.resolve(name));
        Random random = new Random(seed);
        StringBuilder csv = new StringBuilder("file,shape,colour\n");
        for (int i = 0; i < images; i++) {
            boolean red = random.nextBoolean();
            RgbImage img = RgbImage.black(20, 20);
            for (int p = 0; p < 60; p++) {
                img.set(random.nextInt(20), random.nextInt(20), red ? 0 : 1, 200 + random.nextInt(56));
            }
            String file = "img" + i + ".png";
            ImageIO.write(img.toBufferedImage(), "png", d.resolve(file).toFile());
            csv.append(file).append(',').append(i % 2 == 0 ? "5" : "8").append(',').append(red ? "red" : "green").append('\n');
        }
        Files.writeString(d.resolve("labels.csv"), csv);
        return d;
    }

    @Test
    void writesBothReportsAndPrintsTheAnswer() throws IOException {
        Path standalone = dir.resolve("resnet.safetensors");
        Path clip = dir.resolve("clip.safetensors");
        Safetensors.write(standalone, RandomWeights.resnet(new int[] {1, 1, 1, 1}, false, 2, 4).asMap(), Map.of());
        Safetensors.write(clip, RandomWeights.clipResNet(new int[] {1, 1, 1, 1}, 16, 32, 32, 64, 1, 49408, 5).asMap(),
                Map.of("name", "random tiny CLIP"));
        Path out = dir.resolve("report");
        StringWriter stdout = new StringWriter();
        CommandLine cli = new CommandLine(new AuditCommand());
        cli.setOut(new PrintWriter(stdout));
        int code = cli.execute("--standalone", standalone.toString(), "--clip", clip.toString(),
                "--stats", folder("stats", 6, 1).toString(), "--eval", folder("eval", 5, 2).toString(),
                "--out", out.toString(), "--batch-size", "4");
        assertEquals(0, code, stdout.toString());
        assertTrue(stdout.toString().startsWith("dominant concept"), stdout.toString());
        JsonNode json = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertEquals("random tiny CLIP", json.get("clipModel").asText());
        assertEquals(5, json.get("verdicts").get(0).get("images").asInt());
        assertTrue(Files.readString(out.resolve("report.html")).contains("dominant concept"));
    }
}
