package io.capxai.cli;

import io.capxai.attribution.ClipScorer;
import io.capxai.evaluation.ExplanationBenchmark;
import io.capxai.attribution.M2ibOptions;
import io.capxai.json.Json;
import io.capxai.models.ClipModel;
import io.capxai.models.RandomWeights;
import io.capxai.models.text.ClipTokenizer;
import io.capxai.progress.ProgressBars;
import io.capxai.training.ClipTrainingConfig;
import io.capxai.training.Trainer;
import io.capxai.weights.Weights;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code capxai bench explain}: M2IB and the baselines on MNIST / Fashion-MNIST canvases with known
 * boxes; prints the table (pointing game, box mass, confidence drop / increase, seconds).
 * {@code --trained} uses the CLIP-style model trained locally ({@link Trainer#clip}, cached after its
 * first training); with neither that nor {@code --clip} it runs on a small random CLIP, which proves
 * the pipeline end to end but says nothing about quality.
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Benchmark M2IB and the baselines on synthetic scenes of real MNIST / Fashion-MNIST items.")
public final class BenchExplainCommand implements Callable<Integer> {
    static final String TRAINED_MODEL = "CLIP-style model trained locally";
    static final String RANDOM_MODEL = "small random CLIP ViT (untrained: pipeline check only, no quality claim)";

    @Option(names = "--clip", description = "CLIP(-style) weights; omitted: see --trained, else a small random CLIP (smoke run).")
    Path clip;

    @Option(names = "--trained", description = "Use the CLIP-style model trained locally (trained on first use, then cached).")
    boolean trained;

    @Option(names = "--model-name", description = "How the table names the model (default: the weight file's name).")
    String modelName;

    @Option(names = "--dataset", defaultValue = "mnist", description = "mnist | fashion (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--count", defaultValue = "20", description = "Number of canvases (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--methods", split = ",", defaultValue = "m2ib,gradcam,saliency,rise", description = "Methods to compare.")
    List<String> methods;

    @Option(names = "--caption", description = "Caption template with {} for the class name (default: per dataset).")
    String captionTemplate;

    @Option(names = "--canvas-size", description = "Canvas side in pixels (default: the model's input size).")
    Integer canvasSize;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the canvases, the M2IB noise and the RISE masks.")
    long seed;

    @Option(names = "--rise-masks", defaultValue = "500", description = "RISE masks (default: ${DEFAULT-VALUE}).")
    int riseMasks;

    @Option(names = "--sanity", description = "Also run the weight-randomisation sanity check on the first canvas.")
    boolean sanity;

    @Option(names = "--json", description = "Also write the result as JSON to this file.")
    Path json;

    @Spec
    CommandSpec spec;

    @Mixin
    DeviceOption device;

    @Override
    public Integer call() {
        if (trained && clip != null) {
            throw new IllegalArgumentException("give either --clip or --trained, not both");
        }
        ClipModel model;
        String name;
        if (trained) {
            model = ClipModel.fromStateDict(Weights.load(Trainer.clip(ClipTrainingConfig.defaults(), device.get(), true).modelFile()));
            name = TRAINED_MODEL;
        } else if (clip == null) {
            model = ClipModel.fromStateDict(RandomWeights.clipViT(64, 4, 16, 64, 64, 64, 4, ClipTokenizer.VOCAB_SIZE, seed));
            name = RANDOM_MODEL;
        } else {
            model = ClipModel.fromStateDict(Weights.load(clip));
            name = modelName != null ? modelName : clip.getFileName().toString();
        }
        model.to(device.torch());
        ClipScorer scorer = new ClipScorer(model, ClipTokenizer.load(), name);
        ExplanationBenchmark.Config d = ExplanationBenchmark.Config.defaults(dataset, scorer.resolution());
        int size = canvasSize != null ? canvasSize : d.canvasSize();
        ExplanationBenchmark.Config config = new ExplanationBenchmark.Config(dataset, count, size, Math.max(1, size / 64), seed,
                captionTemplate != null ? captionTemplate : d.captionTemplate(), methods, M2ibOptions.DEFAULTS.withSeed(seed),
                riseMasks, d.padToken());
        ExplanationBenchmark.Result result;
        try (ProgressBar bar = ProgressBars.bar("bench explain", count, " canvases")) {
            result = ExplanationBenchmark.run(scorer, config, bar::stepTo);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(ExplanationBenchmark.table(result));
        if (sanity) {
            out.print(ExplanationBenchmark.sanityTable(ExplanationBenchmark.sanity(scorer, config)));
        }
        out.flush();
        if (json != null) {
            Json.writePretty(json, result);
        }
        return 0;
    }
}
