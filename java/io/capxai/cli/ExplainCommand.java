package io.capxai.cli;

import io.capxai.attribution.Attribution;
import io.capxai.attribution.AttributionMap;
import io.capxai.attribution.ClipScorer;
import io.capxai.evaluation.ConfidenceChange;
import io.capxai.evaluation.ConfidenceMetrics;
import io.capxai.attribution.ExplanationFiles;
import io.capxai.attribution.Explainers;
import io.capxai.attribution.M2ibOptions;
import io.capxai.data.ClipPreprocess;
import io.capxai.data.ImageFolderDataset;
import io.capxai.models.ClipModel;
import io.capxai.models.text.ClipTokenizer;
import io.capxai.progress.ProgressBars;
import io.capxai.weights.Weights;
import me.tongfei.progressbar.ProgressBar;
import org.bytedeco.pytorch.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code capxai explain}: explains one image (or every image of a folder) against a caption with
 * M2IB or a baseline, writing map.png, map.safetensors and explain.json per image.
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Explain an image-caption pair of a CLIP model (M2IB, Grad-CAM, gradient saliency or RISE).")
public final class ExplainCommand implements Callable<Integer> {
    private static final List<String> IMAGE_SUFFIXES = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

    @Option(names = "--method", defaultValue = "m2ib", description = "m2ib | gradcam | saliency | rise (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--clip", required = true, description = "CLIP weights (OpenAI layout: .pt, .safetensors, ...).")
    Path clip;

    @Option(names = "--model-name", description = "How outputs name the model (default: the weight file's name).")
    String modelName;

    @Option(names = "--image", required = true, description = "An image file, or a folder: every image in it (batch mode).")
    Path image;

    @Option(names = "--text", required = true, description = "The caption to explain.")
    String text;

    @Option(names = "--out", required = true, description = "Output folder (one sub-folder per image in batch mode).")
    Path out;

    @Option(names = "--beta", defaultValue = "0.1", description = "M2IB: weight of the information term (default: ${DEFAULT-VALUE}).")
    double beta;

    @Option(names = "--image-layer", defaultValue = "-1", description = "M2IB/Grad-CAM image block; -1 = 3/4 of the depth (9 for ViT-B/32, layer3 for RN).")
    int imageLayer;

    @Option(names = "--text-layer", defaultValue = "-1", description = "M2IB text block; -1 = 3/4 of the depth (9 of 12).")
    int textLayer;

    @Option(names = "--samples", defaultValue = "10", description = "M2IB noise samples per step, one batch (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--steps", defaultValue = "10", description = "M2IB Adam steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--lr", defaultValue = "1", description = "M2IB Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--sigma", defaultValue = "1", description = "M2IB noise / prior standard deviation (default: ${DEFAULT-VALUE}).")
    double sigma;

    @Option(names = "--initial-alpha", defaultValue = "5", description = "M2IB starting alpha; lambda = sigmoid(alpha) (default: ${DEFAULT-VALUE}).")
    double initialAlpha;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the noise (M2IB) and masks (RISE).")
    long seed;

    @Option(names = "--rise-masks", defaultValue = "500", description = "RISE: number of masks (default: ${DEFAULT-VALUE}).")
    int riseMasks;

    @Option(names = "--pad-token", defaultValue = "49407", description = "Token that replaces masked caption tokens in the text metric (default: <|endoftext|>).")
    int padToken;

    @Spec
    CommandSpec spec;

    @Mixin
    DeviceOption device;

    @Override
    public Integer call() {
        List<Path> images = imagesToExplain();
        String name = modelName != null ? modelName : clip.getFileName().toString();
        ClipModel model = ClipModel.fromStateDict(Weights.load(clip));
        model.to(device.torch());
        ClipScorer scorer = new ClipScorer(model, ClipTokenizer.load(), name);
        M2ibOptions options = new M2ibOptions(beta, imageLayer, textLayer, samples, steps, learningRate, sigma, initialAlpha, seed);
        Attribution explainer = Explainers.create(method, scorer, options, riseMasks);
        ConfidenceMetrics metrics = new ConfidenceMetrics(scorer, padToken);
        ClipPreprocess preprocess = ClipPreprocess.clip(scorer.resolution());
        boolean batch = Files.isDirectory(image);
        try (ProgressBar bar = ProgressBars.bar("explain " + method, images.size(), " images")) {
            for (Path file : images) {
                Tensor input = preprocess.apply(ImageFolderDataset.read(file)).to(device.torch(),
                        org.bytedeco.pytorch.global.torch.ScalarType.Float);
                Path dir = batch ? out.resolve(stem(file)) : out;
                explainOne(scorer, explainer, metrics, input, dir);
                bar.step();
            }
        }
        spec.commandLine().getOut().printf("%s explanation(s) by %s of model '%s' written to %s%n", images.size(), method, name, out);
        spec.commandLine().getOut().flush();
        return 0;
    }

    private void explainOne(ClipScorer scorer, Attribution explainer, ConfidenceMetrics metrics, Tensor input, Path dir) {
        long start = System.nanoTime();
        AttributionMap map = explainer.explain(input, text);
        double seconds = (System.nanoTime() - start) / 1e9;
        Tensor tokens = scorer.tokens(text, input);
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("seconds", seconds);
        ConfidenceChange imageChange = metrics.image(input, tokens, map.image());
        values.put("cosine", imageChange.original());
        values.put("image_confidence_drop", imageChange.drop());
        values.put("image_confidence_increase", imageChange.increased());
        String[] symbols = null;
        if (map.text() != null) {
            ConfidenceChange textChange = metrics.text(input, tokens, map.text());
            values.put("text_confidence_drop", textChange.drop());
            values.put("text_confidence_increase", textChange.increased());
            long[] ids = io.capxai.tensors.Tensors.toLongs(tokens);
            symbols = new String[map.text().length];
            for (int i = 0; i < symbols.length; i++) {
                symbols[i] = scorer.tokenizer().symbol((int) ids[i]);
            }
        }
        ExplanationFiles.write(dir, input, text, map, symbols, values);
    }

    private List<Path> imagesToExplain() {
        if (!Files.exists(image)) {
            throw new IllegalArgumentException("image not found: " + image);
        }
        if (!Files.isDirectory(image)) {
            return List.of(image);
        }
        try (Stream<Path> files = Files.list(image)) {
            List<Path> found = files.filter(p -> IMAGE_SUFFIXES.stream().anyMatch(
                    s -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(s))).sorted().toList();
            if (found.isEmpty()) {
                throw new IllegalArgumentException("no images (" + IMAGE_SUFFIXES + ") in folder " + image);
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + image, e);
        }
    }

    private static String stem(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
