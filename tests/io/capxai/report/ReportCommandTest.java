package io.capxai.report;

import io.capxai.cli.ReportCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportCommandTest {
    @TempDir
    Path dir;

    @Test
    void rendersHtmlFromSavedJson() throws Exception {
        AuditReport report = ReportTest.syntheticReport(null);
        Path json = dir.resolve("report.json");
        ReportWriter.writeJson(report, json);
        Path html = dir.resolve("page.html");
        int code = new CommandLine(new ReportCommand()).execute(json.toString(), "-o", html.toString());
        assertEquals(0, code);
        String page = Files.readString(html);
        assertTrue(page.contains(report.answer()));
        assertTrue(page.contains("<svg id=\"concept-shares\""));
    }

    @Test
    void missingFileFailsWithItsName() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ReportCommand());
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(dir.resolve("nope.json").toString());
        assertNotEquals(0, code);
        assertTrue(err.toString().contains("nope.json"), err.toString());
    }
}
