package io.capxai.report;

import com.fasterxml.jackson.databind.DeserializationFeature;

import io.capxai.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes {@code report.json} (everything, machine-readable) and {@code report.html} (self-contained). */
public final class ReportWriter {
    private ReportWriter() {}

    /** Writes both files into {@code dir} (created if needed); returns the HTML file. */
    public static Path write(AuditReport report, List<ExampleImage> examples, Path dir) throws IOException {
        Files.createDirectories(dir);
        writeJson(report, dir.resolve("report.json"));
        return writeHtml(report, examples, dir.resolve("report.html"));
    }

    public static void writeJson(AuditReport report, Path file) throws IOException {
        Json.PRETTY.writeValue(file.toFile(), report);
    }

    public static String toJson(AuditReport report) throws IOException {
        return Json.PRETTY.writeValueAsString(report);
    }

    public static AuditReport readJson(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString(), null, "report file not found");
        }
        try {
            return Json.MAPPER.readerFor(AuditReport.class)
                    .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(file.toFile());
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IllegalArgumentException("report file " + file + " is not a valid report: " + e.getOriginalMessage(), e);
        }
    }

    public static Path writeHtml(AuditReport report, List<ExampleImage> examples, Path file) throws IOException {
        Files.writeString(file, html(report, examples));
        return file;
    }

    public static String html(AuditReport report, List<ExampleImage> examples) {
        return HtmlReport.render(report, examples);
    }
}
