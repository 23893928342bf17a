package io.capxai.evaluation;

import io.capxai.concepts.OodDetection;
import io.capxai.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The files of a concept benchmark: {@code results.md} (the localisation tables, then the OOD
 * table when there is one) and {@code results.json} ({@code localisation} and {@code ood}).
 */
public final class ConceptBenchmarkFiles {
    private ConceptBenchmarkFiles() {}

    /** Writes both files into {@code dir} (created if needed); returns the Markdown. */
    public static String write(Path dir, ConceptBenchmark.Result localisation, List<OodDetection.Result> ood) {
        String md = markdown(localisation, ood);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("localisation", localisation);
        json.put("ood", ood);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("results.md"), md);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve("results.md") + ": " + e.getMessage(), e);
        }
        Json.writePretty(dir.resolve("results.json"), json);
        return md;
    }

    static String markdown(ConceptBenchmark.Result localisation, List<OodDetection.Result> ood) {
        StringBuilder md = new StringBuilder(localisation.markdown());
        if (!ood.isEmpty()) {
            md.append("\nOOD detection (whole-image embedding, max cosine to the in-concept's leaf glosses):\n\n")
                    .append("| in | out | images in / out | AUROC |\n|---|---|---|---|\n");
            for (OodDetection.Result o : ood) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %d / %d | %.3f |%n", o.inDistribution(),
                        o.outOfDistribution(), o.inImages(), o.outImages(), o.auroc()));
            }
        }
        return md.toString();
    }
}
