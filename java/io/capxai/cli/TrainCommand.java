package io.capxai.cli;

import io.capxai.json.Json;
import io.capxai.training.ClipArchitecture;
import io.capxai.training.ClipTrainingConfig;
import io.capxai.training.StandaloneConfig;
import io.capxai.training.TrainedModel;
import io.capxai.training.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;

/**
 * {@code capxai train standalone|clip}: trains (or finds in the cache) a model and copies its
 * safetensors file and JSON summary to {@code --out}.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Trains the models of the paper's experiment (cached under the capxai cache folder).",
        subcommands = {TrainCommand.Standalone.class, TrainCommand.Clip.class})
public final class TrainCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Copies the cached files to {@code out/<name>.safetensors} and {@code out/<name>.json}; prints the metrics. */
    static int export(TrainedModel model, Path out, String name) throws IOException {
        Files.createDirectories(out);
        Path weights = out.resolve(name + ".safetensors");
        Path summary = out.resolve(name + ".json");
        Files.copy(model.modelFile(), weights, StandardCopyOption.REPLACE_EXISTING);
        Json.writePretty(summary, model.summary());
        System.out.println(model.summary().model() + (model.fromCache() ? " (from cache)" : ""));
        model.summary().metrics().forEach((k, v) -> System.out.printf("  %-22s %.4f%n", k, v));
        System.out.printf("  trained in %.1f s; wrote %s and %s%n", model.summary().trainSeconds(), weights, summary);
        return 0;
    }

    /** The standalone architectures by their command-line names. */
    enum Arch {
        resnet50(StandaloneConfig.Architecture.RESNET50_PRETRAINED),
        resnet18(StandaloneConfig.Architecture.RESNET18_SCRATCH);

        final StandaloneConfig.Architecture architecture;

        Arch(StandaloneConfig.Architecture a) {
            this.architecture = a;
        }
    }

    /** The colourings by their command-line names. */
    enum Colouring {
        biased(StandaloneConfig.Colouring.BIASED),
        grey(StandaloneConfig.Colouring.GREY);

        final StandaloneConfig.Colouring colouring;

        Colouring(StandaloneConfig.Colouring c) {
            this.colouring = c;
        }
    }

    @Command(name = "standalone", mixinStandardHelpOptions = true,
            description = "A ResNet on colored MNIST 5 vs 8 (biased or grey), evaluated on test and real world.")
    static final class Standalone implements Callable<Integer> {
        @Option(names = "--colouring", required = true, description = "${COMPLETION-CANDIDATES}")
        Colouring colouring;
        @Option(names = "--arch", defaultValue = "resnet50",
                description = "resnet50 (ImageNet weights, fine-tuned) or resnet18 (from scratch); default ${DEFAULT-VALUE}")
        Arch arch;
        @Option(names = "--resolution", defaultValue = "64", description = "input side; default ${DEFAULT-VALUE} (the paper: 224)")
        int resolution;
        @Option(names = "--train-per-digit", defaultValue = "500")
        int trainPerDigit;
        @Option(names = "--test-per-digit", defaultValue = "250")
        int testPerDigit;
        @Option(names = "--real-world-per-digit", defaultValue = "250")
        int realWorldPerDigit;
        @Option(names = "--epochs", defaultValue = "1")
        int epochs;
        @Option(names = "--batch-size", defaultValue = "16")
        int batchSize;
        @Option(names = "--lr", defaultValue = "1e-4")
        double learningRate;
        @Option(names = "--seed", defaultValue = "0")
        long seed;
        @Option(names = "--out", defaultValue = ".", description = "output folder; default the current one")
        Path out;

        @Mixin
        DeviceOption device;

        @Override
        public Integer call() throws IOException {
            StandaloneConfig config = new StandaloneConfig(arch.architecture, colouring.colouring, resolution, trainPerDigit, testPerDigit,
                    realWorldPerDigit, epochs, batchSize, learningRate, seed);
            return export(Trainer.standalone(config, device.get(), true), out, "standalone-" + colouring.name());
        }
    }

    @Command(name = "clip", mixinStandardHelpOptions = true,
            description = "A CLIP-style model (OpenAI layout, small widths) trained locally on captioned MNIST and Fashion-MNIST.")
    static final class Clip implements Callable<Integer> {
        @Option(names = "--resolution", defaultValue = "64")
        int resolution;
        @Option(names = "--steps", defaultValue = "6000")
        int steps;
        @Option(names = "--batch-size", defaultValue = "64")
        int batchSize;
        @Option(names = "--lr", defaultValue = "2e-3")
        double learningRate;
        @Option(names = "--eval-per-class", defaultValue = "100")
        int evalPerClass;
        @Option(names = "--tiny", description = "a tiny architecture (tests, smoke runs; resolution 32)")
        boolean tiny;
        @Option(names = "--seed", defaultValue = "0")
        long seed;
        @Option(names = "--out", defaultValue = ".")
        Path out;

        @Mixin
        DeviceOption device;

        @Override
        public Integer call() throws IOException {
            ClipArchitecture arch = tiny ? ClipArchitecture.tiny() : ClipArchitecture.small(resolution);
            ClipTrainingConfig config = new ClipTrainingConfig(arch, steps, batchSize, learningRate, evalPerClass, seed);
            return export(Trainer.clip(config, device.get(), true), out, "clip-style");
        }
    }
}
