package io.capxai.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchExplainCommandTest {
    @TempDir
    Path dir;

    @Test
    void runsEndToEndOnASmallRandomClipAndNamesIt() throws Exception {
        StringWriter text = new StringWriter();
        CommandLine cli = new CommandLine(new BenchExplainCommand());
        cli.setOut(new PrintWriter(text));
        Path json = dir.resolve("bench.json");
        assertEquals(0, cli.execute("--count", "2", "--methods", "m2ib,saliency,gradcam,rise", "--rise-masks", "32",
                "--json", json.toString()));
        String table = text.toString();
        assertTrue(table.contains(BenchExplainCommand.RANDOM_MODEL), table);
        for (String m : new String[] {"m2ib", "saliency", "gradcam", "rise"}) {
            assertTrue(table.lines().anyMatch(l -> l.startsWith(m)), m + " row in\n" + table);
        }
        JsonNode result = JsonMapper.builder().build().readTree(json.toFile());
        assertEquals(2, result.get("canvases").asInt());
        JsonNode m2ib = result.get("rows").get(0);
        assertEquals("m2ib", m2ib.get("method").asText());
        double point = m2ib.get("pointingGamePercent").asDouble();
        assertTrue(point == 0 || point == 50 || point == 100, "a share of 2 canvases: " + point);
        double mass = m2ib.get("boxMass").asDouble();
        assertTrue(mass > 0 && mass < 1, "box mass " + mass);
    }

    @Test
    void sanityCheckRowsListEveryRandomisedBlock() {
        StringWriter text = new StringWriter();
        CommandLine cli = new CommandLine(new BenchExplainCommand());
        cli.setOut(new PrintWriter(text));
        assertEquals(0, cli.execute("--count", "1", "--methods", "gradcam,saliency", "--sanity"));
        String table = text.toString();
        assertTrue(table.contains("Sanity check"), table);
        for (String m : new String[] {"gradcam ", "saliency "}) {
            assertTrue(table.lines().anyMatch(l -> l.startsWith(m) && l.contains(" 3=") && l.contains(" 0=")), m + "\n" + table);
        }
    }
}
