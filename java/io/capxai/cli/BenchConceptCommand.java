package io.capxai.cli;

import io.capxai.evaluation.ConVisAttribution;
import io.capxai.concepts.ConVis;
import io.capxai.evaluation.ConceptBenchmark;
import io.capxai.evaluation.ConceptBenchmarkFiles;
import io.capxai.concepts.ConceptEmbeddings;
import io.capxai.concepts.ConceptHierarchy;
import io.capxai.concepts.ConceptText;
import io.capxai.data.Canvas;
import io.capxai.data.CanvasGenerator;
import io.capxai.data.ClipPreprocess;
import io.capxai.data.FashionMnist;
import io.capxai.data.Mnist;
import io.capxai.models.ClipModel;
import io.capxai.models.RandomWeights;
import io.capxai.models.text.ClipTokenizer;
import io.capxai.progress.ProgressBars;
import io.capxai.weights.Weights;
import io.capxai.wordnet.WordNet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code capxai bench concept}: ConVis localisation on real Fashion-MNIST / MNIST items in
 * synthetic scenes (pointing game, box mass, positives over negatives, MaxBoxAcc, seconds per
 * map), at the class level and at hypernym levels. Without {@code --clip} it runs on a small
 * random CLIP-style model: that only proves the pipeline, its numbers mean nothing.
 */
@Command(name = "concept", mixinStandardHelpOptions = true,
        description = "Benchmarks ConVis localisation on real objects in synthetic scenes; writes results.json and results.md.")
public final class BenchConceptCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--clip", description = "CLIP weights; without it a small random (untrained) CLIP-style model is used.")
    Path clip;

    @Option(names = "--trained-default", description = "Use the project's default CLIP-style model trained locally"
            + " (io.capxai.training.Trainer.clip with the default config; trained and cached on first use).")
    boolean trainedDefault;

    @Option(names = "--model-name", description = "How outputs name the model (default: CLIP-style model trained locally (<file>)).")
    String modelName;

    @Option(names = "--dataset", defaultValue = "fashion", description = "fashion or mnist (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--scenes", defaultValue = "50", description = "Number of canvases (default: ${DEFAULT-VALUE}).")
    int scenes;

    @Option(names = "--canvas", defaultValue = "224", description = "Canvas side in pixels (default: ${DEFAULT-VALUE}).")
    int canvas;

    @Option(names = "--scale", defaultValue = "2", description = "Item scale (28 px items times this; default: ${DEFAULT-VALUE}).")
    int scale;

    @Option(names = "--levels", split = ",", defaultValue = "footwear.n.02,clothing.n.01",
            description = "Hypernym-level concepts besides the classes (default: ${DEFAULT-VALUE}).")
    List<String> levels;

    @Option(names = "--text", defaultValue = "gloss", description = "gloss or lemmas (default: ${DEFAULT-VALUE}).")
    String text;

    @Option(names = "--stride", description = "Box stride (default: 16 scaled to the input).")
    Integer stride;

    @Option(names = "--batch", defaultValue = "64", description = "Boxes per encoder batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seed", defaultValue = "0", description = "Scene seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--ood", split = ",", description = "OOD pairs in:out of concepts over the dataset classes"
            + " (default for fashion: footwear.n.02:garment.n.01).")
    List<String> ood;

    @Option(names = "--ood-images", defaultValue = "200", description = "Images per side for OOD (default: ${DEFAULT-VALUE}).")
    int oodImages;

    @Option(names = "--methods", split = ",", defaultValue = "convis,gradcam,saliency",
            description = "convis and caption-based methods to compare (gradcam, saliency, m2ib, rise; their query is"
                    + " \"a photo of a {first lemma}.\"); default: ${DEFAULT-VALUE}.")
    List<String> methodNames;

    @Option(names = "--out", required = true, description = "Output directory.")
    Path out;

    @Mixin
    DeviceOption device;

    @Override
    public Integer call() throws IOException {
        if (scenes < 1) {
            throw new ParameterException(spec.commandLine(), "--scenes must be positive");
        }
        WordNet wn = WordNet.get();
        ClipModel model;
        String name;
        if (trainedDefault) {
            if (clip != null) {
                throw new ParameterException(spec.commandLine(), "give --clip or --trained-default, not both");
            }
            clip = io.capxai.training.Trainer.clip(io.capxai.training.ClipTrainingConfig.defaults(), device.get(), true).modelFile();
            modelName = modelName != null ? modelName : "CLIP-style model trained locally (default configuration)";
        }
        if (clip != null) {
            model = ClipModel.fromStateDict(Weights.load(clip));
            name = modelName != null ? modelName : "CLIP-style model trained locally (" + clip.getFileName() + ")";
        } else {
            model = ClipModel.fromStateDict(RandomWeights.clipResNet(new int[] {1, 1, 1, 1}, 16, 64, 32, 64, 1, 49408, 7));
            name = "small random CLIP-style model (untrained; proves the pipeline only)";
        }
        model.to(device.torch());
        int r = Math.toIntExact(model.config().imageResolution());
        boolean fashion = switch (dataset) {
            case "fashion" -> true;
            case "mnist" -> false;
            default -> throw new ParameterException(spec.commandLine(), "--dataset must be fashion or mnist");
        };
        CanvasGenerator generator = fashion
                ? CanvasGenerator.fashion(FashionMnist.load(), canvas, scale, CanvasGenerator.Colouring.GREY, seed)
                : CanvasGenerator.mnist(Mnist.load(), canvas, scale, CanvasGenerator.Colouring.GREY, seed);
        List<Canvas> scenesList = new ArrayList<>();
        for (int i = 0; i < scenes; i++) {
            scenesList.add(generator.canvas(i));
        }
        ConceptHierarchy hierarchy = ConceptHierarchy.defaultHierarchy(wn);
        ConVis.Options options = ConVis.Options.defaults(r);
        if (stride != null) {
            options = new ConVis.Options(new io.capxai.concepts.SweepGeometry(r, options.geometry().border(),
                    options.geometry().boxSizes(), stride), batch, 0);
        } else {
            options = new ConVis.Options(options.geometry(), batch, 0);
        }
        ConVis convis = ConVis.forClip(model, ClipTokenizer.load(), hierarchy, ConceptText.parse(text), options,
                ConceptEmbeddings.defaultCacheDir(), new ProgressBars());
        ConceptBenchmark bench = new ConceptBenchmark(wn, fashion ? ConceptBenchmark.FASHION_MNIST : ConceptBenchmark.MNIST,
                ClipPreprocess.clip(r), device.torch());
        List<ConceptBenchmark.Method> methods = new ArrayList<>();
        io.capxai.attribution.ClipScorer scorer = new io.capxai.attribution.ClipScorer(model, ClipTokenizer.load(), name);
        for (String m : methodNames) {
            methods.add(m.equals("convis") ? ConceptBenchmark.Method.concept(new ConVisAttribution(convis, wn, name))
                    : ConceptBenchmark.Method.caption(io.capxai.attribution.Explainers.create(m, scorer,
                            io.capxai.attribution.M2ibOptions.DEFAULTS.withSeed(seed), 500)));
        }
        Map<String, String> notes = new LinkedHashMap<>();
        notes.put("data", "real " + (fashion ? "Fashion-MNIST" : "MNIST") + " t10k items in synthetic scenes (" + scenes
                + " canvases of " + canvas + " px, items x" + scale + ", seed " + seed + ")");
        notes.put("input", r + " px; ConVis " + options.geometry() + ", text " + text + ", hierarchy "
                + hierarchy.description() + " (" + hierarchy.size() + " synsets)");
        notes.put("hypernym test", "'positives > negatives' of footwear.n.02: share of scenes where the map is denser on the"
                + " sandals, sneakers and ankle boots than on the other items (dress, shirt, bag, ...)");
        notes.put("timing", "s/map of ConVis: the first concept of a scene pays the sweep, the others only a max over a subtree");
        ConceptBenchmark.Result result = bench.run(name, scenesList, methods, bench.queries(levels), notes, new ProgressBars());
        List<io.capxai.concepts.OodDetection.Result> oodResults = new ArrayList<>();
        List<String> pairs = ood != null ? ood : fashion ? List.of("footwear.n.02:garment.n.01") : List.of();
        for (String pair : pairs) {
            String[] sides = pair.split(":");
            if (sides.length != 2) {
                throw new ParameterException(spec.commandLine(), "--ood takes in:out pairs, got " + pair);
            }
            oodResults.add(bench.ood(fashion ? FashionMnist.load().test() : Mnist.load().test(),
                    fashion ? FashionMnist.CLASS_NAMES : List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
                    io.capxai.concepts.ImageEncoder.of(model), hierarchy, convis.embeddings(),
                    wn.resolve(sides[0]), wn.resolve(sides[1]), oodImages));
        }
        String md = ConceptBenchmarkFiles.write(out, result, oodResults);
        spec.commandLine().getOut().print(md);
        return 0;
    }
}
