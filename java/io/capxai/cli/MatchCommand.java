package io.capxai.cli;

import io.capxai.audit.Audit;
import io.capxai.audit.DeviceWorkers;
import io.capxai.audit.ModelActivations;
import io.capxai.progress.ProgressListener;
import io.capxai.kernels.Backends;
import io.capxai.matching.MatchResult;
import io.capxai.matching.TapBlock;
import io.capxai.models.ClipModel;
import io.capxai.models.ImageModel;
import io.capxai.models.Models;
import io.capxai.matching.ChannelStats;
import io.capxai.tensors.Device;
import io.capxai.tensors.Tensors;
import io.capxai.weights.Safetensors;
import io.capxai.weights.Weights;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code capxai match}: the activation-matching score matrix of two models on one input tensor (docs/method.md#matching). */
@Command(name = "match", mixinStandardHelpOptions = true,
        description = "Scores every standalone channel against every CLIP channel on the images of IN ('input' [N, 3, H, W]"
                + " float32, already normalised) with the default taps, and writes 'scores' [rows, cols], 'standalone_mean',"
                + " 'standalone_std', 'clip_mean', 'clip_std' (float32) and the tap names as metadata 'rows' and 'cols'.")
public final class MatchCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--standalone", required = true, description = "Weights of the standalone model (a ResNet).")
    Path standalone;

    @Option(names = "--clip", required = true, description = "CLIP weights (OpenAI layout: TorchScript, state dict or safetensors).")
    Path clip;

    @Option(names = "--input", required = true, description = "safetensors file with float32 'input' [N, 3, H, W].")
    Path input;

    @Option(names = "--out", required = true, description = "safetensors file to write.")
    Path out;

    @Option(names = "--engine", defaultValue = "fused", description = "fused (one pass, native kernels) or reference (two passes, libtorch ops).")
    String engine;

    @Option(names = "--batch-size", defaultValue = "25", description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Mixin
    DevicesOption device;

    @Override
    public Integer call() {
        List<Device> devices = device.list(); // --device with --devices: refused before any loading
        Audit.Engine e = switch (engine.toLowerCase()) {
            case "fused" -> Audit.Engine.FUSED;
            case "reference" -> Audit.Engine.REFERENCE;
            default -> throw new IllegalArgumentException("--engine must be fused or reference, got '" + engine + "'");
        };
        ImageModel standaloneModel = Models.imageModel(Weights.load(standalone), Models.Architecture.AUTO);
        ImageModel clipTower = ClipModel.fromStateDict(Weights.load(clip)).visual();
        Tensor images = Safetensors.read(input).get("input");
        if (!Tensors.hasType(images, ScalarType.Float)) {
            throw new IllegalArgumentException(input + ": 'input' must be float32, got " + images.scalar_type());
        }
        DeviceWorkers workers = DeviceWorkers.of(devices, standaloneModel, clipTower);
        // Each worker takes its contiguous rows of the input (a view; ModelActivations copies batches to its device).
        MatchResult result = Audit.match(workers, (int) images.size(0), batchSize, (w, share) -> ModelActivations.of(
                w.standalone(), w.standalone().defaultTaps(), w.clip(), w.clip().defaultTaps(),
                images.narrow(0, share.positions().length == 0 ? 0 : share.positions()[0], share.positions().length),
                batchSize, share.progress()), e, Backends.SYSTEM, ProgressListener.NONE);

        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("scores", Tensors.fromFloats(result.scores().values(), result.scores().rowCount(), result.scores().colCount()));
        putStats(tensors, "standalone", result.standalone());
        putStats(tensors, "clip", result.clip());
        Safetensors.write(out, tensors, Map.of("rows", names(result.scores().rows()), "cols", names(result.scores().cols()),
                "engine", engine.toLowerCase(), "images", Long.toString(images.size(0))));
        spec.commandLine().getOut().printf("wrote %s: scores %d x %d over %d images (%s engine)%n", out,
                result.scores().rowCount(), result.scores().colCount(), images.size(0), engine.toLowerCase());
        return 0;
    }

    private static void putStats(Map<String, Tensor> out, String prefix, ChannelStats stats) {
        out.put(prefix + "_mean", Tensors.fromDoubles(stats.mean(), stats.mean().length).to(ScalarType.Float));
        out.put(prefix + "_std", Tensors.fromDoubles(stats.std(), stats.std().length).to(ScalarType.Float));
    }

    private static String names(List<TapBlock> taps) {
        return String.join(",", taps.stream().map(TapBlock::name).toList());
    }
}
