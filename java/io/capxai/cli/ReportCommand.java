package io.capxai.cli;

import io.capxai.report.AuditReport;
import io.capxai.report.ReportWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code capxai report report.json [-o report.html]}: re-renders the HTML page of a saved audit. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Renders report.html from an audit's report.json (example images are not stored in the JSON).")
public final class ReportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "REPORT_JSON", description = "the audit's report.json")
    Path json;

    @Option(names = {"-o", "--output"}, paramLabel = "HTML", description = "where to write the page (default: report.html beside the JSON)")
    Path output;

    @Override
    public Integer call() throws Exception {
        AuditReport report = ReportWriter.readJson(json);
        Path html = output != null ? output : json.toAbsolutePath().resolveSibling("report.html");
        ReportWriter.writeHtml(report, List.of(), html);
        System.out.println(report.answer());
        System.out.println("wrote " + html);
        return 0;
    }
}
