package io.capxai.training;

import io.capxai.data.Batch;
import io.capxai.data.Batches;
import io.capxai.data.ClipPreprocess;
import io.capxai.data.ColoredMnist;
import io.capxai.data.Dataset;
import io.capxai.models.KerasResNet50;
import io.capxai.models.ResNet;
import io.capxai.progress.ProgressBars;
import io.capxai.tensors.Optimiser;
import io.capxai.weights.KerasResNet50Weights;
import io.capxai.weights.Safetensors;
import io.capxai.weights.StateDict;
import me.tongfei.progressbar.ProgressBar;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One standalone run: build the ResNet, train it on colored MNIST (biased or grey) with Adam and
 * cross-entropy, BatchNorm in training mode, shuffled batches; then evaluate on test and real world.
 * Weights and batches live on one device; initial weights are drawn on the CPU (the same model
 * whatever the device).
 */
final class StandaloneTraining {
    private final StandaloneConfig config;
    private final ColoredMnist.Splits splits;
    private final Path kerasModelJson;
    private final Device device;

    StandaloneTraining(StandaloneConfig config, ColoredMnist.Splits splits, Path kerasModelJson, Device device) {
        this.config = config;
        this.splits = config.colouring() == StandaloneConfig.Colouring.GREY ? splits.grey() : splits;
        this.kerasModelJson = kerasModelJson;
        this.device = device;
    }

    /** The model to train, with a fresh 2-class head, on the run's device. */
    ResNet initialModel() {
        ResNet model = initialModelOnCpu();
        model.state().to(device);
        return model;
    }

    private ResNet initialModelOnCpu() {
        torch.manual_seed(config.seed());
        if (config.architecture() == StandaloneConfig.Architecture.RESNET18_SCRATCH) {
            return ResNet.fromStateDict(ParameterInit.resnet18(2));
        }
        StateDict imagenet = KerasResNet50Weights.read(kerasModelJson);
        Map<String, Tensor> weights = new LinkedHashMap<>();
        for (String key : imagenet.keys()) {
            if (!key.startsWith("fc.")) {
                weights.put(key, imagenet.get(key).clone()); // our own writable copy
            }
        }
        ParameterInit.replaceHead(weights, "fc", 2, 2048);
        Map<String, String> meta = new LinkedHashMap<>(imagenet.metadata());
        meta.put("classes", "2");
        return KerasResNet50.fromStateDict(new StateDict(weights, meta));
    }

    /** Trains {@code model} in place; returns the mean loss of each epoch. */
    List<Double> train(ResNet model, boolean showProgress) {
        ClipPreprocess preprocess = ClipPreprocess.clip(config.resolution());
        Optimiser adam = new Optimiser(model.state().parameters().values(), config.learningRate(), "training");
        model.train(true);
        List<Double> losses = new ArrayList<>();
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            Batches batches = Batches.shuffled(splits.train(), preprocess, config.batchSize(), config.seed() + epoch, true);
            double sum = 0;
            try (ProgressBar bar = ProgressBars.builder("train " + config.colouring().name().toLowerCase() + " epoch "
                    + (epoch + 1) + "/" + config.epochs(), batches.count(), showProgress).showSpeed().build()) {
                for (Batch batch : batches) {
                    double loss = adam.step(() -> torch.cross_entropy_loss(model.forward(images(batch, device)),
                            labels(batch, device)));
                    sum += loss;
                    bar.step();
                    bar.setExtraMessage(String.format(" loss %.4f", loss));
                }
            }
            losses.add(sum / batches.count());
        }
        recalibrateBatchNorm(model, splits.train(), preprocess, config.batchSize(), config.seed());
        model.train(false);
        model.state().requiresGrad(false);
        return losses;
    }

    /**
     * Re-estimates BatchNorm's running statistics for the final weights: forward passes in training
     * mode without gradients. During fine-tuning the running averages (momentum 0.1) trail weights
     * that change fast, and start from ImageNet's statistics of caffe-scale inputs; evaluation with
     * them lost about 15 points of test accuracy on the biased model. {@value #RECALIBRATION_BATCHES}
     * batches leave 0.9^30 = 4 % of the old averages.
     */
    static void recalibrateBatchNorm(ResNet model, Dataset train, ClipPreprocess preprocess, int batchSize, long seed) {
        Device device = model.device();
        model.train(true);
        Batches batches = Batches.shuffled(train, preprocess, batchSize, seed ^ 0xb17, true);
        try (NoGradGuard noGrad = new NoGradGuard()) {
            for (int b = 0; b < Math.min(RECALIBRATION_BATCHES, batches.count()); b++) {
                try (PointerScope scope = new PointerScope()) {
                    model.forward(images(batches.get(b), device));
                }
            }
        }
        model.train(false);
    }

    static final int RECALIBRATION_BATCHES = 30;

    /** Fraction of {@code dataset} that {@code model} classifies correctly (eval mode, no gradients). */
    static double accuracy(ResNet model, Dataset dataset, int resolution, int batchSize) {
        Device device = model.device();
        model.train(false);
        ClipPreprocess preprocess = ClipPreprocess.clip(resolution);
        long correct = 0;
        try (NoGradGuard noGrad = new NoGradGuard()) {
            for (Batch batch : Batches.inOrder(dataset, preprocess, batchSize)) {
                try (PointerScope scope = new PointerScope()) {
                    Tensor predicted = model.forward(images(batch, device)).argmax(new org.bytedeco.pytorch.LongOptional(1), false);
                    correct += predicted.eq(labels(batch, device)).sum().item_long();
                }
            }
        }
        return (double) correct / dataset.size();
    }

    private static Tensor images(Batch batch, Device device) {
        return batch.images().to(device, torch.ScalarType.Float);
    }

    private static Tensor labels(Batch batch, Device device) {
        return batch.labelTensor().to(device, torch.ScalarType.Long);
    }

    ColoredMnist.Splits splits() {
        return splits;
    }

    /** Writes the model in torchvision naming with metadata saying what it is and how to feed it. */
    void save(ResNet model, Path file) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("name", model.name() + " trained locally on colored MNIST (" + config.colouring().name().toLowerCase() + ")");
        meta.put("architecture", config.architecture() == StandaloneConfig.Architecture.RESNET50_PRETRAINED
                ? "keras_resnet50_v1" : "torchvision_resnet18");
        meta.put("classes", "5,8");
        meta.put("colouring", config.colouring().name().toLowerCase());
        meta.put("input.size", Integer.toString(config.resolution()));
        meta.put("preprocessing", "clip (bicubic resize, CLIP mean/std)");
        Safetensors.write(file, model.state().stateDict(), meta);
    }
}
