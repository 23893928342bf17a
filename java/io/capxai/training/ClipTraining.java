package io.capxai.training;

import io.capxai.data.ClipPreprocess;
import io.capxai.data.IdxDataset;
import io.capxai.models.ClipModel;
import io.capxai.models.text.ClipTokenizer;
import io.capxai.progress.ProgressBars;
import io.capxai.tensors.Optimiser;
import io.capxai.tensors.Tensors;
import io.capxai.weights.Safetensors;
import io.capxai.weights.StateDict;
import me.tongfei.progressbar.ProgressBar;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One CLIP-style run. Each step draws a batch of captioned images, embeds images and the batch's
 * distinct captions, and minimises CLIP's symmetric InfoNCE loss:
 * <pre>
 *   logits = exp(logit_scale) * normalise(image embeddings) . normalise(caption embeddings)^T     [B, U]
 *   loss   = ( CE(image -> its caption) + CE(caption -> its images) ) / 2
 * </pre>
 * Templated captions repeat within a batch ("a photo of a red digit."), so each distinct caption
 * is embedded once and every image that carries it counts as its positive (a uniform target over
 * those images), instead of pushing identical captions apart as false negatives.
 * {@code logit_scale} starts at ln(1/0.07) and is clamped at ln 100 after each step, as CLIP does.
 */
final class ClipTraining {
    static final double MAX_LOGIT_SCALE = Math.log(100);
    private final ClipTrainingConfig config;
    private final CaptionedImages data;
    private final ClipTokenizer tokenizer;
    private final ClipPreprocess preprocess;
    private final Device device;

    ClipTraining(ClipTrainingConfig config, CaptionedImages data, ClipTokenizer tokenizer, Device device) {
        this.config = config;
        this.data = data;
        this.tokenizer = tokenizer;
        this.preprocess = ClipPreprocess.clip(config.architecture().resolution());
        this.device = device;
    }

    /** A freshly initialised model (drawn on the CPU, the same whatever the device) on the run's device. */
    ClipModel initialModel() {
        torch.manual_seed(config.seed());
        ClipModel model = ClipModel.fromStateDict(new StateDict(ParameterInit.clip(config.architecture()), metadata()));
        model.to(device);
        return model;
    }

    /** Trains in place; returns the mean loss of each tenth of the steps. */
    List<Double> train(ClipModel model, boolean showProgress) {
        Optimiser adam = new Optimiser(model.parameters().values(), config.learningRate(), "training");
        Random random = new Random(config.seed());
        model.train(true);
        int chunk = Math.max(1, config.steps() / 10);
        List<Double> losses = new ArrayList<>();
        double sum = 0;
        int inChunk = 0;
        try (ProgressBar bar = ProgressBars.builder("train CLIP-style", config.steps(), showProgress).showSpeed().build()) {
            for (int step = 0; step < config.steps(); step++) {
                adam.learningRate(learningRate(step));
                List<CaptionedImages.Item> items = new ArrayList<>();
                for (int i = 0; i < config.batchSize(); i++) {
                    items.add(data.next(random));
                }
                double loss = adam.step(() -> contrastiveLoss(model, items));
                try (NoGradGuard noGrad = new NoGradGuard()) {
                    model.logitScale().clamp_(new ScalarOptional(), new ScalarOptional(new Scalar(MAX_LOGIT_SCALE)));
                }
                sum += loss;
                if (++inChunk == chunk || step == config.steps() - 1) {
                    losses.add(sum / inChunk);
                    sum = 0;
                    inChunk = 0;
                }
                bar.step();
                bar.setExtraMessage(String.format(" loss %.3f", loss));
            }
        }
        model.train(false);
        model.requiresGrad(false);
        return losses;
    }

    /** Linear warm-up over the first 5 % of steps, then cosine decay to zero. */
    double learningRate(int step) {
        int warmup = Math.max(1, config.steps() / 20);
        if (step < warmup) {
            return config.learningRate() * (step + 1) / warmup;
        }
        double progress = (double) (step - warmup) / Math.max(1, config.steps() - warmup);
        return config.learningRate() * 0.5 * (1 + Math.cos(Math.PI * progress));
    }

    Tensor contrastiveLoss(ClipModel model, List<CaptionedImages.Item> items) {
        List<String> captions = new ArrayList<>();
        Map<String, Integer> captionIndex = new LinkedHashMap<>();
        long[] target = new long[items.size()];
        for (int i = 0; i < items.size(); i++) {
            String caption = items.get(i).caption();
            target[i] = captionIndex.computeIfAbsent(caption, c -> {
                captions.add(c);
                return captions.size() - 1;
            });
        }
        Tensor images = preprocess.apply(items.stream().map(CaptionedImages.Item::image).toList()).to(device, ScalarType.Float);
        Tensor tokens = tokenizer.tokenize(captions, ClipArchitecture.CONTEXT_LENGTH, true).to(device, ScalarType.Long);
        Tensor imageEmbeddings = torch.normalize(model.encodeImage(images));
        Tensor textEmbeddings = torch.normalize(model.encodeText(tokens));
        Tensor logits = imageEmbeddings.mm(textEmbeddings.t()).mul(model.logitScale().exp()); // [B, U]
        Tensor targets = Tensors.fromLongs(target, target.length).to(device, ScalarType.Long);
        Tensor imageToText = torch.cross_entropy_loss(logits, targets);
        // caption -> images: a uniform distribution over the images carrying that caption
        Tensor positives = torch.one_hot(targets, captions.size()).t().to(ScalarType.Float); // [U, B]
        positives = positives.div(positives.sum(new long[] {1}, true, new org.bytedeco.pytorch.ScalarTypeOptional()));
        Tensor textToImage = positives.mul(torch.log_softmax(logits.t(), 1)).sum().neg().div(new Scalar((double) captions.size()));
        return imageToText.add(textToImage).div(new Scalar(2.0));
    }

    /** What the file's {@code __metadata__} says: its name, the heads (widths are not multiples of 64), the config. */
    Map<String, String> metadata() {
        ClipArchitecture a = config.architecture();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("name", "CLIP-style model trained locally");
        meta.put("vision_heads", Integer.toString(a.visionHeads()));
        meta.put("text_heads", Integer.toString(a.textHeads()));
        meta.put("image_resolution", Integer.toString(a.resolution()));
        meta.put("architecture", a.toString());
        meta.put("training", "contrastive (InfoNCE) on captioned MNIST digits and Fashion-MNIST items, " + config.steps()
                + " steps of " + config.batchSize() + ", seed " + config.seed());
        meta.put("preprocessing", "clip (bicubic resize to " + a.resolution() + ", CLIP mean/std)");
        return meta;
    }

    void save(ClipModel model, Path file) {
        Safetensors.write(file, model.stateDict(), metadata());
    }

    /** Zero-shot accuracies on held-out images (MNIST and Fashion-MNIST test files) with the paper's captions. */
    static Map<String, Double> zeroShot(ClipModel model, IdxDataset digitsTest, IdxDataset fashionTest, int perClass,
                                        long seed, Map<String, Integer> evaluated, ClipTokenizer tokenizer) {
        ZeroShot z = new ZeroShot(model, tokenizer, ClipPreprocess.clip((int) model.config().imageResolution()));
        Random random = new Random(seed ^ 0x5eed);
        Map<String, Double> out = new LinkedHashMap<>();
        // 5 vs 8 and red vs green on the same images: 5s and 8s, half of each red, half green
        List<ZeroShot.Example> redGreen58 = ZeroShot.examples(digitsTest, new int[] {5, 8}, perClass, random,
                i -> Palette.named(i % 2 == 0 ? "red" : "green"));
        out.put("digit_5_vs_8", z.accuracy(redGreen58, List.of("a photo of a digit with the value 5.",
                "a photo of a digit with the value 8."), e -> e.classId() == 5 ? 0 : 1));
        out.put("red_vs_green", z.accuracy(redGreen58, List.of("a photo of a red digit.", "a photo of a green digit."),
                e -> e.colour().name().equals("red") ? 0 : 1));
        evaluated.put("digit_5_vs_8", redGreen58.size());
        evaluated.put("red_vs_green", redGreen58.size());
        List<ZeroShot.Example> digits = ZeroShot.examples(digitsTest, new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, perClass,
                random, i -> Palette.COLOURS.get(random.nextInt(Palette.COLOURS.size())));
        List<String> digitPrompts = new ArrayList<>();
        for (int d = 0; d < 10; d++) {
            digitPrompts.add("a photo of a digit with the value " + d + ".");
        }
        out.put("digit_10_class", z.accuracy(digits, digitPrompts, ZeroShot.Example::classId));
        evaluated.put("digit_10_class", digits.size());
        if (fashionTest != null) {
            List<ZeroShot.Example> fashion = ZeroShot.examples(fashionTest, new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
                    perClass, random, i -> Palette.COLOURS.get(random.nextInt(Palette.COLOURS.size())));
            List<String> prompts = FashionConcepts.CAPTION_NAMES.stream().map(n -> "a photo of a " + n + ".").toList();
            out.put("fashion_10_class", z.accuracy(fashion, prompts, ZeroShot.Example::classId));
            evaluated.put("fashion_10_class", fashion.size());
        }
        return out;
    }
}
