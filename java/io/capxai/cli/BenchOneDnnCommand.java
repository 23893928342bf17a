package io.capxai.cli;

import io.capxai.models.RandomWeights;
import io.capxai.models.ResNet;
import io.capxai.tensors.OneDnn;
import io.capxai.tensors.Optimiser;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * What the oneDNN fall-back costs on this host: a ResNet-50 fine-tuning step (the demo's standalone
 * training: forward, backward, Adam) and a forward pass, under each oneDNN mode that is safe here.
 * Modes are interleaved round by round so that a change in the machine's load touches them alike.
 */
@Command(name = "onednn", mixinStandardHelpOptions = true,
        description = "Times ResNet-50 training steps and forward passes with libtorch's oneDNN on, for forward passes"
                + " only, and off (only the modes this machine's probe found safe), interleaved; prints median and range.")
final class BenchOneDnnCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--resolution", defaultValue = "64", description = "Input side (default: ${DEFAULT-VALUE}, the demo's).")
    int resolution;

    @Option(names = "--batch-size", defaultValue = "16", description = "Images per step (default: ${DEFAULT-VALUE}, the demo's).")
    int batchSize;

    @Option(names = "--steps", defaultValue = "5", description = "Training steps timed per round (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--rounds", defaultValue = "5", description = "Rounds; each times every mode once (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Override
    public Integer call() {
        if (resolution < 32 || batchSize < 1 || steps < 1 || rounds < 1) {
            throw new IllegalArgumentException("--resolution must be >= 32 and --batch-size, --steps, --rounds >= 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        OneDnn.Mode safe = OneDnn.active();
        List<OneDnn.Mode> modes = switch (safe) {
            case ON -> List.of(OneDnn.Mode.ON, OneDnn.Mode.FORWARD, OneDnn.Mode.OFF);
            case FORWARD -> List.of(OneDnn.Mode.FORWARD, OneDnn.Mode.OFF);
            default -> List.of(OneDnn.Mode.OFF);
        };
        out.printf("capxai bench onednn: ResNet-50 (random weights, 2 classes), %d px, batch %d, %d threads; "
                + "this machine: oneDNN %s; %d rounds of %d steps%n", resolution, batchSize, torch.get_num_threads(),
                OneDnn.describe(), rounds, steps);
        ResNet model = ResNet.fromStateDict(RandomWeights.resnet50(2, 1));
        torch.manual_seed(7);
        Tensor images = torch.randn(batchSize, 3, resolution, resolution);
        Tensor labels = torch.randint(2, new long[] {batchSize}, new org.bytedeco.pytorch.TensorOptions(torch.ScalarType.Long));
        Optimiser adam = new Optimiser(model.state().parameters().values(), 1e-4, "bench");

        Map<OneDnn.Mode, List<Double>> train = new EnumMap<>(OneDnn.Mode.class);
        Map<OneDnn.Mode, List<Double>> forward = new EnumMap<>(OneDnn.Mode.class);
        try {
            for (int round = -1; round < rounds; round++) { // round -1 warms every mode up, untimed
                for (OneDnn.Mode mode : modes) {
                    OneDnn.apply(mode);
                    model.train(true);
                    long t0 = System.nanoTime();
                    for (int s = 0; s < steps; s++) {
                        adam.step(() -> torch.cross_entropy_loss(model.forward(images), labels));
                    }
                    double trainSeconds = (System.nanoTime() - t0) / 1e9 / steps;
                    model.train(false);
                    long t1 = System.nanoTime();
                    for (int s = 0; s < steps; s++) {
                        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
                            model.forward(images);
                        }
                    }
                    double forwardSeconds = (System.nanoTime() - t1) / 1e9 / steps;
                    if (round >= 0) {
                        train.computeIfAbsent(mode, m -> new ArrayList<>()).add(trainSeconds);
                        forward.computeIfAbsent(mode, m -> new ArrayList<>()).add(forwardSeconds);
                    }
                }
            }
        } finally {
            OneDnn.apply(safe);
        }
        out.println("| oneDNN | training step s (median [min, max]) | forward pass s (median [min, max]) |");
        out.println("|---|---|---|");
        for (OneDnn.Mode mode : modes) {
            out.printf("| %s | %s | %s |%n", mode.name().toLowerCase(), summary(train.get(mode)), summary(forward.get(mode)));
        }
        return 0;
    }

    private static String summary(List<Double> seconds) {
        double[] s = seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        return String.format("%.3f [%.3f, %.3f]", median, s[0], s[s.length - 1]);
    }
}
