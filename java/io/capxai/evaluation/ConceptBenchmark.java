package io.capxai.evaluation;

import io.capxai.concepts.ConVis;
import io.capxai.concepts.ConceptEmbeddings;
import io.capxai.concepts.ConceptHierarchy;
import io.capxai.concepts.ImageEncoder;
import io.capxai.concepts.OodDetection;
import io.capxai.progress.ProgressListener;
import io.capxai.evaluation.Localisation;
import io.capxai.attribution.Attribution;
import io.capxai.attribution.AttributionMap;
import io.capxai.data.Canvas;
import io.capxai.data.Canvas.Box;
import io.capxai.data.ClipPreprocess;
import io.capxai.wordnet.Concept;
import io.capxai.wordnet.WordNet;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Localisation benchmark on real objects in synthetic scenes: canvases of real Fashion-MNIST (or
 * MNIST) items at known boxes; for every concept (at several WordNet levels) whose subtree holds
 * at least one item of a scene, every method explains the scene and is scored against the boxes
 * of those items (positives) and of the other items (negatives).
 *
 * <p>Any {@link Attribution} can be a row: ConVis takes the concept itself, caption methods a
 * caption made from it ({@link Method#query}).
 */
public final class ConceptBenchmark {
    /** A row of the table: a method and how a concept becomes its query. */
    public record Method(Attribution attribution, Function<Concept, String> query) {
        /** ConVis: the query is the synset id. */
        public static Method concept(Attribution a) {
            return new Method(a, Concept::id);
        }

        /** Caption methods: "a photo of a {first lemma}." */
        public static Method caption(Attribution a) {
            return new Method(a, c -> "a photo of a " + c.lemmas().getFirst() + ".");
        }
    }

    /** The scores of one method on one concept over all scenes where the concept is present. */
    public record Row(String method, String concept, String level, int scenes, double pointingGame, double boxMass,
                      double coversPositivesOverNegatives, int scenesWithNegatives, double maxBoxAcc,
                      double secondsPerMap) {}

    /**
     * @param model  the model's name for every output ("CLIP-style model trained locally")
     * @param rows   one per method and concept
     * @param notes  what was run (dataset, scenes, resolution, options)
     */
    public record Result(String model, List<Row> rows, Map<String, Timing> timings, Map<String, String> notes) {
        /** A Markdown table. */
        public String markdown() {
            StringBuilder sb = new StringBuilder("Model: " + model + "\n\n");
            notes.forEach((k, v) -> sb.append("- ").append(k).append(": ").append(v).append('\n'));
            sb.append("\n| method | s for the first concept of a scene | s per further concept |\n|---|---|---|\n");
            timings.forEach((m, t) -> sb.append(String.format(java.util.Locale.ROOT, "| %s | %.3f | %.4f |%n", m,
                    t.firstConceptSeconds(), t.furtherConceptSeconds())));
            sb.append("\n| method | concept | level | scenes | pointing game | box mass | positives > negatives (scenes) | MaxBoxAcc | s/map |\n");
            sb.append("|---|---|---|---|---|---|---|---|---|\n");
            for (Row r : rows) {
                sb.append(String.format(java.util.Locale.ROOT, "| %s | %s | %s | %d | %.1f %% | %.3f | %s | %.1f %% | %.3f |%n",
                        r.method(), r.concept(), r.level(), r.scenes(), 100 * r.pointingGame(), r.boxMass(),
                        r.scenesWithNegatives() == 0 ? "n/a" : String.format(java.util.Locale.ROOT, "%.1f %% (%d)",
                                100 * r.coversPositivesOverNegatives(), r.scenesWithNegatives()),
                        100 * r.maxBoxAcc(), r.secondsPerMap()));
            }
            return sb.toString();
        }
    }

    /** Mean seconds per map: the first query on a scene (ConVis: pays the sweep) and every further one. */
    public record Timing(double firstConceptSeconds, double furtherConceptSeconds) {}

    /** A concept to test and the level it stands for ("class", "footwear", ...). */
    public record Query(Concept concept, String level) {}

    private final WordNet wordNet;
    private final Map<String, Concept> classConcepts;
    private final ClipPreprocess preprocess;
    private final org.bytedeco.pytorch.Device device;

    /**
     * @param classConcepts the WordNet synset of each dataset class name ({@link #FASHION_MNIST})
     * @param preprocess    resizes a canvas to the models' input
     * @param device        where the methods' models live: each preprocessed scene goes there
     */
    public ConceptBenchmark(WordNet wordNet, Map<String, String> classConcepts, ClipPreprocess preprocess,
                            org.bytedeco.pytorch.Device device) {
        this.wordNet = wordNet;
        this.classConcepts = new LinkedHashMap<>();
        classConcepts.forEach((k, v) -> this.classConcepts.put(k, wordNet.resolve(v)));
        this.preprocess = preprocess;
        this.device = device;
    }

    /** Fashion-MNIST class names to WordNet synsets. */
    public static final Map<String, String> FASHION_MNIST = orderedMap(
            "T-shirt/top", "jersey.n.03", "Trouser", "trouser.n.01", "Pullover", "sweater.n.01", "Dress", "dress.n.01",
            "Coat", "coat.n.01", "Sandal", "sandal.n.01", "Shirt", "shirt.n.01", "Sneaker", "gym_shoe.n.01",
            "Bag", "bag.n.04", "Ankle boot", "boot.n.01");

    /** MNIST digits to the synsets of the written digits' numbers. */
    public static final Map<String, String> MNIST = orderedMap(
            "0", "zero.n.02", "1", "one.n.01", "2", "two.n.01", "3", "three.n.01", "4", "four.n.01",
            "5", "five.n.01", "6", "six.n.01", "7", "seven.n.01", "8", "eight.n.01", "9", "nine.n.01");

    /** The class-level queries (one per dataset class) plus {@code extra} higher levels. */
    public List<Query> queries(List<String> extraLevels) {
        List<Query> out = new ArrayList<>();
        classConcepts.values().stream().distinct().forEach(c -> out.add(new Query(c, "class")));
        for (String level : extraLevels) {
            Concept c = wordNet.resolve(level);
            out.add(new Query(c, c.lemmas().getFirst()));
        }
        return out;
    }

    /** Runs every method on every scene for every query present in it. */
    public Result run(String model, List<Canvas> scenes, List<Method> methods, List<Query> queries,
                      Map<String, String> notes, io.capxai.progress.ProgressListener progress) {
        Map<String, Accumulator> acc = new LinkedHashMap<>();
        Map<String, double[]> times = new LinkedHashMap<>(); // method -> first sum, first n, further sum, further n
        progress.started("scenes", scenes.size());
        for (int s = 0; s < scenes.size(); s++) {
            Canvas scene = scenes.get(s);
            try (PointerScope _ = new PointerScope()) {
                Tensor image = preprocess.apply(scene.image()).to(device, org.bytedeco.pytorch.global.torch.ScalarType.Float);
                double scale = preprocess.resolution() / (double) scene.image().width();
                Set<String> seen = new HashSet<>();
                for (Query q : queries) {
                    Set<Concept> subtree = subtree(q.concept());
                    List<Box> positives = new ArrayList<>();
                    List<Box> negatives = new ArrayList<>();
                    for (Canvas.Item item : scene.items()) {
                        Concept c = classConcepts.get(item.className());
                        (c != null && subtree.contains(c) ? positives : negatives).add(scaled(item.box(), scale));
                    }
                    if (positives.isEmpty()) {
                        continue;
                    }
                    for (Method m : methods) {
                        long t0 = System.nanoTime();
                        AttributionMap map = m.attribution().explain(image, m.query().apply(q.concept()));
                        double seconds = (System.nanoTime() - t0) / 1e9;
                        double[] t = times.computeIfAbsent(m.attribution().name(), k -> new double[4]);
                        int slot = seen.add(m.attribution().name()) ? 0 : 2;
                        t[slot] += seconds;
                        t[slot + 1]++;
                        acc.computeIfAbsent(m.attribution().name() + "|" + q.concept().nltkName() + "|" + q.level(),
                                k -> new Accumulator()).add(map, positives, negatives, seconds);
                    }
                }
            }
            progress.advanced("scenes", s + 1, scenes.size());
        }
        progress.finished("scenes");
        List<Row> rows = new ArrayList<>();
        acc.forEach((key, a) -> {
            String[] k = key.split("\\|");
            rows.add(a.row(k[0], k[1], k[2]));
        });
        Map<String, Timing> timings = new LinkedHashMap<>();
        times.forEach((m, t) -> timings.put(m, new Timing(t[0] / Math.max(1, t[1]), t[3] == 0 ? Double.NaN : t[2] / t[3])));
        return new Result(model, rows, timings, notes);
    }

    /**
     * OOD on real items: images of the dataset classes under {@code in} against those under
     * {@code out} (at most {@code perSide} each, from {@code source}), preprocessed alone; they stay
     * on the CPU and the encoder moves each batch to its model.
     */
    public OodDetection.Result ood(io.capxai.data.IdxDataset source, List<String> classNames, ImageEncoder encoder,
                                   ConceptHierarchy hierarchy, ConceptEmbeddings embeddings, Concept in, Concept out,
                                   int perSide) {
        List<io.capxai.data.RgbImage> inImages = new ArrayList<>();
        List<io.capxai.data.RgbImage> outImages = new ArrayList<>();
        Set<Concept> inTree = subtree(in);
        Set<Concept> outTree = subtree(out);
        for (int i = 0; i < source.size() && (inImages.size() < perSide || outImages.size() < perSide); i++) {
            Concept c = classConcepts.get(classNames.get(source.label(i)));
            List<io.capxai.data.RgbImage> side = c == null ? null : inTree.contains(c) ? inImages : outTree.contains(c) ? outImages : null;
            if (side != null && side.size() < perSide) {
                side.add(grey(source.images().image(i), source.images().rows(), source.images().cols()));
            }
        }
        if (inImages.isEmpty() || outImages.isEmpty()) {
            throw new IllegalArgumentException("no dataset class falls under " + (inImages.isEmpty() ? in : out));
        }
        return OodDetection.evaluate(encoder, hierarchy, embeddings, in, out, preprocess.apply(inImages),
                preprocess.apply(outImages), OodDetection.Representatives.LEAVES, 64);
    }

    private static Set<Concept> subtree(Concept c) {
        Set<Concept> s = new HashSet<>(c.allHyponyms());
        s.add(c);
        return s;
    }

    private static io.capxai.data.RgbImage grey(byte[] pixels, int rows, int cols) {
        byte[] rgb = new byte[rows * cols * 3];
        for (int i = 0; i < rows * cols; i++) {
            rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = pixels[i];
        }
        return new io.capxai.data.RgbImage(rows, cols, rgb);
    }

    private static Box scaled(Box b, double s) {
        return new Box((int) Math.floor(b.x0() * s), (int) Math.floor(b.y0() * s),
                (int) Math.ceil(b.x1() * s), (int) Math.ceil(b.y1() * s));
    }

    private static final class Accumulator {
        int scenes, hits, withNegatives, covers;
        double mass, seconds;
        final List<Localisation.Sample> samples = new ArrayList<>();

        void add(AttributionMap map, List<Box> positives, List<Box> negatives, double sec) {
            scenes++;
            seconds += sec;
            hits += Localisation.pointingHit(map.image(), map.width(), positives) ? 1 : 0;
            mass += Localisation.boxMass(map.image(), map.width(), positives);
            if (!negatives.isEmpty()) {
                withNegatives++;
                double pos = Localisation.boxMass(map.image(), map.width(), positives) / area(positives);
                double neg = Localisation.boxMass(map.image(), map.width(), negatives) / area(negatives);
                covers += pos > neg ? 1 : 0;
            }
            samples.add(new Localisation.Sample(map.image(), map.width(), positives));
        }

        Row row(String method, String concept, String level) {
            return new Row(method, concept, level, scenes, hits / (double) scenes, mass / scenes,
                    withNegatives == 0 ? Double.NaN : covers / (double) withNegatives, withNegatives,
                    Localisation.maxBoxAcc(samples).accuracy(), seconds / scenes);
        }

        private static double area(List<Box> boxes) {
            return Math.max(1, boxes.stream().mapToInt(Box::area).sum());
        }
    }

    private static Map<String, String> orderedMap(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
