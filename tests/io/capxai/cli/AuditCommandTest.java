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
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuditCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesBothReportsAndPrintsTheAnswer() throws IOException {
        Path standalone = TinyModelFiles.standalone(dir);
        Path clip = TinyModelFiles.clip(dir, "clip.safetensors", 5);
        Path out = dir.resolve("report");
        StringWriter stdout = new StringWriter();
        CommandLine cli = new CommandLine(new AuditCommand());
        cli.setOut(new PrintWriter(stdout));
        int code = cli.execute("--standalone", standalone.toString(), "--clip", clip.toString(),
                "--stats", BlobFolders.write(dir, "stats", 6, 1).toString(), "--eval", BlobFolders.write(dir, "eval", 5, 2).toString(),
                "--out", out.toString(), "--batch-size", "4");
        assertEquals(0, code, stdout.toString());
        assertTrue(stdout.toString().startsWith("dominant concept"), stdout.toString());
        JsonNode json = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertEquals("random tiny CLIP", json.get("clipModel").asText());
        assertEquals(5, json.get("verdicts").get(0).get("images").asInt());
        assertTrue(Files.readString(out.resolve("report.html")).contains("dominant concept"));
    }
}
