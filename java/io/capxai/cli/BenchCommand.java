package io.capxai.cli;

import io.capxai.audit.Audit;
import io.capxai.audit.ModelActivations;
import io.capxai.progress.ProgressListener;
import io.capxai.kernels.Backends;
import io.capxai.matching.ActivationSource;
import io.capxai.matching.MatchResult;
import io.capxai.matching.TapBlock;
import io.capxai.models.ClipModel;
import io.capxai.models.ImageModel;
import io.capxai.models.RandomWeights;
import io.capxai.models.ResNet;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code capxai bench ...}: end-to-end timings (JMH in bench/ times the kernels). */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "End-to-end benchmarks.",
        subcommands = {BenchCommand.AuditBench.class, BenchExplainCommand.class, BenchConceptCommand.class,
                BenchOneDnnCommand.class})
public final class BenchCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * The statistics-and-matching pass of an audit, fused vs reference engine, on random-weight
     * ResNet-50 and CLIP RN50 architectures (timing does not depend on the weights).
     */
    @Command(name = "audit", mixinStandardHelpOptions = true,
            description = "Times the one-pass fused engine against the two-pass reference engine (ResNet-50 vs CLIP RN50"
                    + " architecture, random weights): images/s per phase and overall, peak memory, and libtorch matmul on"
                    + " the same low-resolution shapes.")
    public static final class AuditBench implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--images", defaultValue = "2000", description = "Images (default: ${DEFAULT-VALUE}, the paper's size).")
        int images;

        @Option(names = "--resolution", defaultValue = "224", description = "Input size (default: ${DEFAULT-VALUE}).")
        int resolution;

        @Option(names = "--batch-size", defaultValue = "25", description = "Images per batch (default: ${DEFAULT-VALUE}).")
        int batchSize;

        @Option(names = "--engines", split = ",", defaultValue = "fused,reference", description = "Engines to time, in order.")
        List<String> engines;

        @Mixin
        DeviceOption device;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            ImageModel resnet = ResNet.fromStateDict(RandomWeights.resnet50(1000, 1));
            ImageModel clip = ClipModel.fromStateDict(
                    RandomWeights.clipResNet(new int[] {3, 4, 6, 3}, 64, resolution, 1024, 512, 1, 49408, 2)).visual(); // one text layer: unused here
            resnet.state().to(device.torch());
            clip.state().to(device.torch());
            torch.manual_seed(3);
            Tensor input = torch.randn(images, 3, resolution, resolution).to(device.torch(), torch.ScalarType.Float);
            out.printf("capxai bench audit: %d images at %dx%d, batch %d, ResNet-50 vs CLIP RN50 architecture (random weights), %d threads%n",
                    images, resolution, resolution, batchSize, torch.get_num_threads());
            out.printf("%-10s %12s %12s %12s %10s%n", "phase", "seconds", "images/s", "GFLOP/s", "peak RSS");

            double forward = time(() -> source(resnet, clip, input).forEachBatch((s, c) -> {}));
            row(out, "forward", forward, 0);
            double matmul = matmulSeconds(resnet, clip);
            row(out, "mm-roofln", matmul, matchFlops(resnet, clip));
            for (String engine : engines) {
                Audit.Engine e = Audit.Engine.valueOf(engine.trim().toUpperCase());
                MatchResult[] result = new MatchResult[1];
                double total = time(() -> result[0] = Audit.match(source(resnet, clip, input), e, Backends.SYSTEM));
                row(out, engine + "-all", total, 0);
                double matching = total - (e == Audit.Engine.FUSED ? forward : 2 * forward);
                row(out, engine + "-mtch", matching, e == Audit.Engine.FUSED ? matchFlops(resnet, clip) : 0);
                result[0].profile().forEach((step, seconds) -> out.printf("  %-24s %10.2f s%n", step, seconds));
                result[0] = null;
            }
            out.flush();
            return 0;
        }

        private ActivationSource source(ImageModel resnet, ImageModel clip, Tensor input) {
            return ModelActivations.of(resnet, resnet.defaultTaps(), clip, clip.defaultTaps(), input, batchSize, ProgressListener.NONE);
        }

        /** libtorch matmul on every (standalone tap, CLIP tap) pair at the lower resolution: the practical roofline. */
        private double matmulSeconds(ImageModel resnet, ImageModel clip) {
            List<TapBlock> rows = blocks(resnet);
            List<TapBlock> cols = blocks(clip);
            double seconds = 0;
            int batches = (images + batchSize - 1) / batchSize;
            try (NoGradGuard noGrad = new NoGradGuard()) {
                for (TapBlock r : rows) {
                    for (TapBlock c : cols) {
                        long hw = (long) Math.min(r.height(), c.height()) * Math.min(r.width(), c.width());
                        try (PointerScope scope = new PointerScope()) {
                            Tensor a = torch.randn(r.channels(), batchSize * hw).to(device.torch(), torch.ScalarType.Float);
                            Tensor b = torch.randn(batchSize * hw, c.channels()).to(device.torch(), torch.ScalarType.Float);
                            seconds += time(() -> torch.mm(a, b)) * batches;
                        }
                    }
                }
            }
            return seconds;
        }

        private double matchFlops(ImageModel resnet, ImageModel clip) {
            double flops = 0;
            for (TapBlock r : blocks(resnet)) {
                for (TapBlock c : blocks(clip)) {
                    long hw = (long) Math.min(r.height(), c.height()) * Math.min(r.width(), c.width());
                    flops += 2.0 * r.channels() * c.channels() * hw * images;
                }
            }
            return flops;
        }

        private List<TapBlock> blocks(ImageModel model) {
            var shapes = model.describeTaps(model.defaultTaps(), resolution, resolution);
            java.util.ArrayList<TapBlock> out = new java.util.ArrayList<>();
            int offset = 0;
            for (var s : shapes) {
                long[] d = s.shape();
                out.add(new TapBlock(s.name(), offset, (int) d[1], (int) d[2], (int) d[3]));
                offset += (int) d[1];
            }
            return out;
        }

        private void row(PrintWriter out, String phase, double seconds, double flops) {
            out.printf("%-10s %12.2f %12.2f %12s %10s%n", phase, seconds, images / seconds,
                    flops > 0 ? String.format("%.1f", flops / seconds / 1e9) : "-", peakRss());
            out.flush();
        }

        private static double time(Runnable r) {
            long t0 = System.nanoTime();
            r.run();
            return (System.nanoTime() - t0) / 1e9;
        }

        /** Peak resident memory of this process so far (VmHWM). */
        private static String peakRss() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith("VmHWM:")) {
                        return String.format("%.1f GB", Long.parseLong(line.replaceAll("\\D", "")) / 1048576.0);
                    }
                }
            } catch (IOException | NumberFormatException e) {
                return "?";
            }
            return "?";
        }
    }
}
