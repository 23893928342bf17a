package io.capxai.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capxai.testing.BlobFolders;
import io.capxai.testing.TinyModelFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code audit --spark local[2]}, and {@code audit --partial} from merged shards, print the local run's answer and verdicts. */
class SparkAuditCommandTest {
    @TempDir
    Path dir;

    @Test
    void sparkAndShardedRunsReportWhatTheLocalRunReports() throws IOException {
        Path standalone = TinyModelFiles.standalone(dir);
        Path clip = TinyModelFiles.clip(dir, "clip.safetensors", 5);
        Path stats = BlobFolders.write(dir, "stats", 6, 1);
        List<String> common = List.of("--standalone", standalone.toString(), "--clip", clip.toString(), "--stats", stats.toString(),
                "--eval", BlobFolders.write(dir, "eval", 4, 2).toString(), "--batch-size", "1", "--controls", "0");

        // Spark audits report the per-variant verdicts (no control runs yet): those must agree exactly
        JsonNode local = audit(common, "local");
        JsonNode spark = audit(common, "spark", "--spark", "local[2]", "--partitions", "3");
        assertEquals(local.get("verdicts").toString(), spark.get("verdicts").toString());

        List<String> partials = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path p = dir.resolve("p" + i + ".safetensors");
            assertEquals(0, new CommandLine(new MatchCommand()).execute("--standalone", standalone.toString(), "--clip", clip.toString(),
                    "--images", stats.toString(), "--shard", i + "/3", "--partial", p.toString(), "--batch-size", "1"));
            partials.add(p.toString());
        }
        Path merged = dir.resolve("merged.safetensors");
        partials.addAll(List.of("--partial-out", merged.toString()));
        assertEquals(0, new CommandLine(new MergeCommand()).execute(partials.toArray(String[]::new)));
        JsonNode sharded = audit(common, "sharded", "--partial", merged.toString());
        assertEquals(local.get("verdicts").toString(), sharded.get("verdicts").toString());
    }

    @Test
    void sparkWithControlsIsRefusedBeforeAnyWork() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new AuditCommand());
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("--standalone", "none.safetensors", "--clip", "none.safetensors", "--stats", "colored-mnist:train",
                "--eval", "colored-mnist:test", "--out", dir.toString(), "--spark", "local[2]"); // --controls defaults to 5
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().startsWith("--spark runs no random-weight controls yet"), err.toString());
    }

    private JsonNode audit(List<String> common, String name, String... extra) throws IOException {
        Path out = dir.resolve(name);
        List<String> args = new ArrayList<>(common);
        args.addAll(List.of("--out", out.toString()));
        args.addAll(List.of(extra));
        StringWriter stdout = new StringWriter();
        CommandLine cli = new CommandLine(new AuditCommand());
        cli.setOut(new PrintWriter(stdout));
        assertEquals(0, cli.execute(args.toArray(String[]::new)), name);
        assertTrue(stdout.toString().contains("colour"), stdout.toString()); // the answer names the concepts
        return new ObjectMapper().readTree(out.resolve("report.json").toFile());
    }
}
