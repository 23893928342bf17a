package io.capxai.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capxai.data.FashionMnist;
import io.capxai.testing.Requirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** {@code capxai bench concept} end to end on the small random CLIP-style model (numbers meaningless, pipeline proven). */
class BenchConceptCommandTest {
    @Test
    void writesTheTablesNamingTheModel(@TempDir Path dir) throws Exception {
        Requirements.fetched(FashionMnist::directory);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new BenchConceptCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute("--scenes", "1", "--stride", "18", "--ood-images", "8", "--out", dir.toString());
        assertEquals(0, rc, err.toString());
        String md = Files.readString(dir.resolve("results.md"));
        assertTrue(md.startsWith("Model: small random CLIP-style model (untrained"), md);
        assertTrue(md.contains("| convis |"));
        assertTrue(md.contains("| gradcam |") && md.contains("| saliency |"), md); // the caption-based baselines
        assertTrue(md.contains("| footwear.n.02 | garment.n.01 | 8 / 8 |"), md);
        JsonNode json = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
        assertTrue(json.get("localisation").get("rows").size() > 0);
        double auroc = json.get("ood").get(0).get("auroc").asDouble();
        assertTrue(auroc >= 0 && auroc <= 1);
    }
}
