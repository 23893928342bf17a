package io.capxai.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capxai.testing.Gpu;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code bench explain} and {@code bench concept} with {@code --device cuda} give the tables they give
 * with {@code --device cpu} (small random models; box mass and AUROC within 0.02: averages of maps that
 * agree within 0.5 %, see GpuAttributionTest). Needs a GPU server: {@code ./mvnw -Pgpu -B verify -Dgroups=gpu}.
 */
@Tag("gpu")
@EnabledIf(value = Gpu.CONDITION, disabledReason = Gpu.REASON)
class GpuBenchCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void benchExplainOnCudaGivesTheCpuTable(@TempDir Path dir) throws Exception {
        JsonNode cpu = benchExplain(dir.resolve("cpu.json"), "cpu").get("rows");
        JsonNode cuda = benchExplain(dir.resolve("cuda.json"), "cuda").get("rows");
        assertEquals(4, cpu.size());
        assertSameRows(cpu, cuda, "method", "boxMass");
    }

    @Test
    void benchConceptOnCudaGivesTheCpuTables(@TempDir Path dir) throws Exception {
        JsonNode cpu = benchConcept(dir.resolve("cpu"), "cpu");
        JsonNode cuda = benchConcept(dir.resolve("cuda"), "cuda");
        assertSameRows(cpu.get("localisation").get("rows"), cuda.get("localisation").get("rows"), "method", "boxMass");
        assertSameRows(cpu.get("ood"), cuda.get("ood"), "inDistribution", "auroc");
    }

    private static void assertSameRows(JsonNode cpu, JsonNode cuda, String key, String value) {
        assertEquals(cpu.size(), cuda.size(), key + " rows");
        for (int i = 0; i < cpu.size(); i++) {
            assertEquals(cpu.get(i).get(key).asText(), cuda.get(i).get(key).asText(), "row " + i);
            assertEquals(cpu.get(i).get(value).asDouble(), cuda.get(i).get(value).asDouble(), 0.02,
                    value + " of row " + i + " (" + cpu.get(i).get(key).asText() + ")");
        }
    }

    private static JsonNode benchExplain(Path json, String device) throws Exception {
        run(new BenchExplainCommand(), "--count", "2", "--methods", "m2ib,saliency,gradcam,rise", "--rise-masks", "32",
                "--json", json.toString(), "--device", device);
        return JSON.readTree(json.toFile());
    }

    private static JsonNode benchConcept(Path out, String device) throws Exception {
        run(new BenchConceptCommand(), "--scenes", "2", "--stride", "18", "--ood-images", "8", "--out", out.toString(),
                "--device", device);
        return JSON.readTree(out.resolve("results.json").toFile());
    }

    private static void run(Object command, String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(err));
        assertEquals(0, cli.execute(args), String.join(" ", args) + "\n" + err);
    }
}
