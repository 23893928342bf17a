package io.capxai.cli;

import io.capxai.audit.Demo;
import io.capxai.json.Json;
import io.capxai.progress.ProgressBars;
import io.capxai.report.ModelDescription;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code capxai demo}: the paper's colored-MNIST experiment from the embedded defaults. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Fetches MNIST, builds colored MNIST, trains (or loads the cached) biased and grey standalone models and"
                + " the CLIP-style model, audits both standalone models and an untrained control, and prints the comparison table.")
public final class DemoCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", defaultValue = "demo-out", description = "Folder for both reports (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--json", description = "Also write the comparison as JSON to this file.")
    Path json;

    @Mixin
    DevicesOption device;

    private static String percent(double v) {
        return Double.isNaN(v) ? "-" : String.format(java.util.Locale.ROOT, "%.1f%%", 100 * v);
    }

    @Override
    public Integer call() throws IOException {
        List<Demo.Row> rows = Demo.run(out, device.list(), new ProgressBars());
        PrintWriter o = spec.commandLine().getOut();
        o.println();
        o.println("Caption-driven audit of colored-MNIST classifiers, probed with the " + ModelDescription.LOCAL_CLIP);
        o.printf("%-8s %-22s %-22s %9s %11s%n", "model", "colour share [95% CI]", "shape share [95% CI]", "test acc", "real-world");
        for (Demo.Row r : rows) {
            o.printf("%-8s %-22s %-22s %9s %11s%n", r.model(), r.colour().percent(), r.shape().percent(),
                    percent(r.testAccuracy()), percent(r.realWorldAccuracy()));
        }
        for (Demo.Row r : rows) {
            o.println(r.model() + ": " + r.answer() + "  -> " + r.report());
        }
        o.println("(control: a ResNet-50 with random weights, audited the same way; read the shares against it)");
        o.flush();
        if (json != null) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("clip_model", ModelDescription.LOCAL_CLIP);
            for (Demo.Row r : rows) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("colour_share", r.colourShare());
                m.put("shape_share", r.shapeShare());
                if (!Double.isNaN(r.testAccuracy())) {
                    m.put("test_accuracy", r.testAccuracy());
                    m.put("real_world_accuracy", r.realWorldAccuracy());
                }
                m.put("answer", r.answer());
                doc.put(r.model(), m);
            }
            Json.writePretty(json, doc);
        }
        return 0;
    }
}
