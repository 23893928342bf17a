package io.capxai.evaluation;

import io.capxai.attribution.Attribution;
import io.capxai.attribution.AttributionMap;
import io.capxai.attribution.ClipScorer;
import io.capxai.attribution.Explainers;
import io.capxai.attribution.M2ibOptions;
import io.capxai.data.Canvas;
import io.capxai.data.CanvasGenerator;
import io.capxai.data.ClipPreprocess;
import io.capxai.data.FashionMnist;
import io.capxai.data.Mnist;
import io.capxai.training.FashionConcepts;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Explanation quality on real objects in synthetic scenes: canvases with two or three real MNIST or
 * Fashion-MNIST items at known boxes, the caption naming one of them. For every method: pointing
 * game and box mass against the named item's box(es), image confidence drop / increase, and for
 * M2IB the text ones too; plus seconds per explanation.
 */
public final class ExplanationBenchmark {
    /**
     * @param dataset         "mnist" or "fashion"
     * @param canvases        how many canvases (pairs) to explain
     * @param canvasSize      canvas side in pixels (the model input size is a good choice)
     * @param scale           integer upscaling of the 28 px items
     * @param captionTemplate caption with {@code {}} for the item's class name
     */
    public record Config(String dataset, int canvases, int canvasSize, int scale, long seed, String captionTemplate,
                         List<String> methods, M2ibOptions m2ib, int riseMasks, int padToken) {
        public Config {
            if (canvases < 1) {
                throw new IllegalArgumentException("need at least one canvas, got " + canvases);
            }
            if (!captionTemplate.contains("{}")) {
                throw new IllegalArgumentException("caption template must contain {} for the class name: " + captionTemplate);
            }
            methods = List.copyOf(methods);
        }

        /** The defaults for a model of input size {@code resolution}. */
        public static Config defaults(String dataset, int resolution) {
            // the captions the locally trained CLIP-style model saw (and the paper's digit caption)
            String template = dataset.equals("mnist") ? "a photo of a digit with the value {}." : "a photo of a {}.";
            return new Config(dataset, 20, resolution, Math.max(1, resolution / 64), 0, template, Explainers.METHODS,
                    M2ibOptions.DEFAULTS, 500, ConfidenceMetrics.DEFAULT_PAD_TOKEN);
        }
    }

    /** One method's scores; the text columns are NaN for methods without a text map. */
    public record Row(String method, int pairs, double pointingGamePercent, double boxMass, double imageConfidenceDrop,
                      double imageConfidenceIncreasePercent, double textConfidenceDrop, double textConfidenceIncreasePercent,
                      double secondsPerExplanation) {}

    public record Result(String model, String dataset, int canvases, List<Row> rows) {
        public Row row(String method) {
            return rows.stream().filter(r -> r.method().equals(method)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no row for method " + method));
        }
    }

    private ExplanationBenchmark() {}

    /** Runs every method on the same canvases; {@code progress} gets the number of canvases done. */
    public static Result run(ClipScorer clip, Config config, IntConsumer progress) {
        int r = clip.resolution();
        CanvasGenerator canvases = generator(config);
        ClipPreprocess preprocess = ClipPreprocess.clip(r);
        ConfidenceMetrics metrics = new ConfidenceMetrics(clip, config.padToken());
        Map<String, Attribution> methods = new LinkedHashMap<>();
        for (String m : config.methods()) {
            methods.put(m, Explainers.create(m, clip, config.m2ib(), config.riseMasks()));
        }
        Map<String, Tally> tallies = new LinkedHashMap<>();
        methods.keySet().forEach(m -> tallies.put(m, new Tally()));
        for (int i = 0; i < config.canvases(); i++) {
            Canvas canvas = canvases.canvas(i);
            String target = canvas.items().getFirst().className();
            String caption = caption(config, canvas.items().getFirst());
            // every item of the named class counts as the object (a canvas may hold two of them)
            List<Canvas.Box> boxes = canvas.items().stream().filter(it -> it.className().equals(target))
                    .map(it -> Localisation.scale(it.box(), config.canvasSize(), r)).toList();
            try (PointerScope scope = new PointerScope()) {
                Tensor image = preprocess.apply(canvas.image()).to(clip.clip().device(), torch.ScalarType.Float);
                Tensor tokens = clip.tokens(caption, image);
                for (Map.Entry<String, Attribution> e : methods.entrySet()) {
                    long start = System.nanoTime();
                    AttributionMap map = e.getValue().explain(image, caption);
                    Tally t = tallies.get(e.getKey());
                    t.seconds += (System.nanoTime() - start) / 1e9;
                    t.pairs++;
                    t.hits += Localisation.pointingHit(map.image(), r, boxes) ? 1 : 0;
                    t.mass += Localisation.boxMass(map.image(), r, boxes);
                    t.image.add(metrics.image(image, tokens, map.image()));
                    if (map.text() != null) {
                        t.text.add(metrics.text(image, tokens, map.text()));
                    }
                }
            }
            progress.accept(i + 1);
        }
        List<Row> rows = new ArrayList<>();
        tallies.forEach((m, t) -> rows.add(t.row(m)));
        return new Result(clip.modelName(), config.dataset(), config.canvases(), rows);
    }

    /**
     * The cascading randomisation check of every method on canvas 0: per method, the map's rank
     * correlation with the original after randomising the image tower's blocks from the top down.
     */
    public static Map<String, List<SanityCheck.Step>> sanity(ClipScorer clip, Config config) {
        Canvas canvas = generator(config).canvas(0);
        String caption = caption(config, canvas.items().getFirst());
        Tensor image = ClipPreprocess.clip(clip.resolution()).apply(canvas.image()).to(clip.clip().device(),
                torch.ScalarType.Float);
        Map<String, List<SanityCheck.Step>> out = new LinkedHashMap<>();
        for (String m : config.methods()) {
            Attribution method = Explainers.create(m, clip, config.m2ib(), config.riseMasks());
            out.put(m, SanityCheck.cascading(clip.clip(), () -> method.explain(image, caption).image(), config.seed()));
        }
        return out;
    }

    /** The sanity table: one row per method, one column per randomised block (top first). */
    public static String sanityTable(Map<String, List<SanityCheck.Step>> steps) {
        StringBuilder s = new StringBuilder("Sanity check (Spearman of map vs original after randomising blocks top..b):\n");
        steps.forEach((m, list) -> {
            s.append(String.format(Locale.ROOT, "%-9s", m));
            list.forEach(step -> s.append(String.format(Locale.ROOT, " %s=%.2f",
                    step.block().substring(step.block().lastIndexOf('.') + 1), step.rankCorrelation())));
            s.append('\n');
        });
        return s.toString();
    }

    /** The caption naming {@code item}; clothing by the names the training captions use ("sandal", not "Sandal"). */
    static String caption(Config config, Canvas.Item item) {
        String name = config.dataset().equals("fashion") ? FashionConcepts.CAPTION_NAMES.get(item.classId()) : item.className();
        return config.captionTemplate().replace("{}", name);
    }

    private static CanvasGenerator generator(Config config) {
        return switch (config.dataset()) {
            case "mnist" -> CanvasGenerator.mnist(Mnist.load(), config.canvasSize(), config.scale(),
                    CanvasGenerator.Colouring.GREY, config.seed());
            case "fashion" -> CanvasGenerator.fashion(FashionMnist.load(), config.canvasSize(), config.scale(),
                    CanvasGenerator.Colouring.GREY, config.seed());
            default -> throw new IllegalArgumentException("dataset must be mnist or fashion, got " + config.dataset());
        };
    }

    /** A plain-text table of the result, headed by the model and data it was measured on. */
    public static String table(Result result) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "Explanation benchmark: model '%s', %d %s canvases (2-3 items, caption names one)%n",
                result.model(), result.canvases(), result.dataset()));
        s.append(String.format(Locale.ROOT, "%-9s %8s %8s %9s %9s %9s %9s %8s%n", "method", "point%", "boxmass",
                "imgDrop", "imgInc%", "txtDrop", "txtInc%", "s/expl"));
        for (Row row : result.rows()) {
            s.append(String.format(Locale.ROOT, "%-9s %8.1f %8.3f %9.2f %9.1f %9s %9s %8.3f%n", row.method(),
                    row.pointingGamePercent(), row.boxMass(), row.imageConfidenceDrop(), row.imageConfidenceIncreasePercent(),
                    fmt(row.textConfidenceDrop(), "%.2f"), fmt(row.textConfidenceIncreasePercent(), "%.1f"),
                    row.secondsPerExplanation()));
        }
        return s.toString();
    }

    private static String fmt(double v, String pattern) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, pattern, v);
    }

    private static final class Tally {
        int pairs;
        int hits;
        double mass;
        double seconds;
        final List<ConfidenceChange> image = new ArrayList<>();
        final List<ConfidenceChange> text = new ArrayList<>();

        Row row(String method) {
            ConfidenceChange.Summary img = ConfidenceChange.summarise(image);
            ConfidenceChange.Summary txt = text.isEmpty() ? null : ConfidenceChange.summarise(text);
            return new Row(method, pairs, 100.0 * hits / pairs, mass / pairs, img.confidenceDrop(),
                    img.confidenceIncreasePercent(), txt == null ? Double.NaN : txt.confidenceDrop(),
                    txt == null ? Double.NaN : txt.confidenceIncreasePercent(), seconds / pairs);
        }
    }
}
