package io.capxai.cli;

import io.capxai.audit.Audit;
import io.capxai.audit.Demo;
import io.capxai.json.Json;
import io.capxai.probing.ControlComparison;
import io.capxai.probing.LabelDependence;
import io.capxai.progress.ProgressBars;
import io.capxai.report.AuditReport;
import io.capxai.report.ModelDescription;
import io.capxai.training.StandaloneConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code capxai demo}: the paper's colored-MNIST experiment from the embedded defaults, with the verdict against controls. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Fetches MNIST, builds colored MNIST, trains (or loads the cached) biased and grey standalone models"
                + " (ResNet-18 from scratch and ImageNet ResNet-50 fine-tuned) and the CLIP-style model, audits them and K"
                + " random-weight controls per architecture on balanced probe images, and prints which concepts each model"
                + " carries above the controls.")
public final class DemoCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", defaultValue = "demo-out", description = "Folder for the reports (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--json", description = "Also write the comparison as JSON to this file.")
    Path json;

    @Option(names = "--models", split = ",", defaultValue = "scratch,pretrained",
            description = "Which standalone pairs to audit: scratch (ResNet-18 from scratch, the primary pair) and/or"
                    + " pretrained (ImageNet ResNet-50 fine-tuned) (default: ${DEFAULT-VALUE}).")
    List<String> models;

    @Mixin
    DevicesOption device;

    @Option(names = "--seed", defaultValue = "0", description = "Draws the splits, the standalone training and the controls (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--controls", defaultValue = "" + Audit.DEFAULT_CONTROLS,
            description = "Random-weight controls per architecture: 0 or at least 2 (default: ${DEFAULT-VALUE}).")
    int controls;

    @Override
    public Integer call() throws IOException {
        if (controls != 0 && controls < 2) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--controls: 0 or at least 2, got " + controls);
        }
        Set<StandaloneConfig.Architecture> architectures = EnumSet.noneOf(StandaloneConfig.Architecture.class);
        for (String m : models) {
            architectures.add(switch (m.strip().toLowerCase(Locale.ROOT)) {
                case "scratch" -> StandaloneConfig.Architecture.RESNET18_SCRATCH;
                case "pretrained" -> StandaloneConfig.Architecture.RESNET50_PRETRAINED;
                default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--models: scratch and/or pretrained, got '" + m + "'");
            });
        }
        Demo.Result result = Demo.run(out, seed, controls, architectures, device.list(), new ProgressBars());
        PrintWriter o = spec.commandLine().getOut();
        o.println();
        o.printf(Locale.ROOT, "Caption-driven audit of colored-MNIST classifiers, seed %d, probed with the %s%n", seed,
                ModelDescription.LOCAL_CLIP);
        o.printf(Locale.ROOT, "Variant %s; %d balanced probe images (statistics: %d other balanced images); accuracy = argmax"
                + " among one concept's captions; carried = above %d random-weight controls (one-sided z-test, alpha %.2f)%n",
                result.verdictVariant(), result.probeImages(), result.statisticsImages(), controls, ControlComparison.ALPHA);
        result.dependence().stream().filter(LabelDependence::warning).forEach(d -> o.println("warning: " + d.message()));
        o.printf("%-16s %-7s %8s %10s %6s %6s %-22s %-13s %9s %-7s %6s%n", "model", "concept", "test acc", "real-world",
                "before", "after", "retained [95% CI]", "controls", "p", "carried", "paper");
        for (Demo.Row r : result.rows()) {
            for (Demo.Concept c : r.concepts()) {
                o.printf(Locale.ROOT, "%-16s %-7s %8s %10s %6.2f %6.2f %-22s %-13s %9s %-7s %6s%n", r.model(), c.concept(),
                        percent(r.testAccuracy()), percent(r.realWorldAccuracy()), c.before().value(), c.after().value(),
                        interval(c.retained(), c.retainedLower(), c.retainedUpper()),
                        Double.isNaN(c.controlsMean()) ? "-" : String.format(Locale.ROOT, "%.2f ± %.2f", c.controlsMean(), c.controlsSd()),
                        Double.isNaN(c.pValue()) ? "-" : c.pValue() < 0.001 ? "<0.001" : String.format(Locale.ROOT, "%.3f", c.pValue()),
                        Double.isNaN(c.pValue()) ? "-" : c.carried() ? "yes" : "no", percent(c.paperShare()));
            }
        }
        for (Demo.Controls c : result.controls()) {
            StringBuilder line = new StringBuilder("controls " + c.architecture() + " with random weights, seeds " + c.seeds() + ":");
            c.afterSpread().forEach((concept, s) -> line.append(String.format(Locale.ROOT, " %s after %.2f ± %.2f;", concept, s.mean(), s.sd())));
            o.println(line);
        }
        o.println();
        for (Demo.Row r : result.rows()) {
            o.println(r.model() + ": " + r.answer() + "  -> " + r.report());
        }
        o.println("(paper = the paper's 4-way influence share of the concept, kept for comparison: " + AuditReport.PAPER_METRIC_NOTE + ")");
        o.flush();
        if (json != null) {
            Json.writePretty(json, document(result));
        }
        return 0;
    }

    private static Map<String, Object> document(Demo.Result result) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("clip_model", ModelDescription.LOCAL_CLIP);
        doc.put("seed", result.seed());
        doc.put("variant", result.verdictVariant());
        doc.put("probe_images", result.probeImages());
        doc.put("statistics_images", result.statisticsImages());
        doc.put("test", "one-sided z-test of the model's after-surgery within-concept accuracy against the controls':"
                + " z = (a - m) / sqrt(s^2 (1 + 1/K) + p~(1 - p~)/n), p~ = (correct + 2)/(n + 4); carried when p < " + ControlComparison.ALPHA);
        doc.put("label_dependence", result.dependence());
        Map<String, Object> models = new LinkedHashMap<>();
        for (Demo.Row r : result.rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("architecture", r.architecture());
            m.put("description", r.description());
            m.put("test_accuracy", r.testAccuracy());
            m.put("real_world_accuracy", r.realWorldAccuracy());
            Map<String, Object> concepts = new LinkedHashMap<>();
            Map<String, Object> paper = new LinkedHashMap<>();
            for (Demo.Concept c : r.concepts()) {
                Map<String, Object> k = new LinkedHashMap<>();
                k.put("accuracy_before", c.before().value());
                k.put("accuracy_before_interval", new double[] {c.before().lower(), c.before().upper()});
                k.put("accuracy_after", c.after().value());
                k.put("accuracy_after_interval", new double[] {c.after().lower(), c.after().upper()});
                k.put("images", c.after().total());
                k.put("retained", c.retained());
                k.put("retained_interval", new double[] {c.retainedLower(), c.retainedUpper()});
                k.put("controls_mean", c.controlsMean());
                k.put("controls_sd", c.controlsSd());
                k.put("z", c.z());
                k.put("p_value", c.pValue());
                k.put("carried", c.carried());
                concepts.put(c.concept(), k);
                paper.put(c.concept() + "_share", c.paperShare());
            }
            m.put("concepts", concepts);
            m.put("answer", r.answer());
            paper.put("answer", r.paperAnswer());
            m.put("paper_metric", paper);
            m.put("report", r.report().toString());
            models.put(r.model(), m);
        }
        doc.put("models", models);
        Map<String, Object> controls = new LinkedHashMap<>();
        for (Demo.Controls c : result.controls()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seeds", c.seeds());
            m.put("accuracy_after", c.afterAccuracy());
            Map<String, Object> spread = new LinkedHashMap<>();
            c.afterSpread().forEach((concept, s) -> spread.put(concept, Map.of("mean", s.mean(), "sd", s.sd())));
            m.put("accuracy_after_spread", spread);
            m.put("from_cache", c.fromCache());
            controls.put(c.architecture(), m);
        }
        doc.put("controls", controls);
        return doc;
    }

    private static String percent(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    private static String interval(double v, double lo, double hi) {
        return Double.isNaN(v) ? "undefined" : String.format(Locale.ROOT, "%.2f [%.2f, %.2f]", v, lo, hi);
    }
}
