package io.capxai.cli;

import io.capxai.audit.Audit;
import io.capxai.audit.AuditData;
import io.capxai.audit.DeviceWorkers;
import io.capxai.audit.ModelActivations;
import io.capxai.data.Batches;
import io.capxai.data.ClipPreprocess;
import io.capxai.data.Dataset;
import io.capxai.kernels.Backends;
import io.capxai.matching.ActivationSource;
import io.capxai.matching.ChannelStats;
import io.capxai.matching.ImageShard;
import io.capxai.matching.MatchResult;
import io.capxai.matching.Partials;
import io.capxai.matching.TapBlock;
import io.capxai.models.ClipModel;
import io.capxai.models.ImageModel;
import io.capxai.models.Models;
import io.capxai.progress.ProgressListener;
import io.capxai.tensors.Device;
import io.capxai.tensors.Tensors;
import io.capxai.weights.Safetensors;
import io.capxai.weights.Weights;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;

/** {@code capxai match}: the activation-matching score matrix of two models (docs/method.md#matching), or one shard's partial sums. */
@Command(name = "match", mixinStandardHelpOptions = true,
        description = "Scores every standalone channel against every CLIP channel with the default taps, on the images of"
                + " --input ('input' [N, 3, H, W] float32, already normalised) or of a dataset (--images), and writes"
                + " 'scores' [rows, cols], 'standalone_mean', 'standalone_std', 'clip_mean', 'clip_std' (float32) with the"
                + " tap names as metadata 'rows' and 'cols'. With --shard I/N --partial FILE it writes the shard's partial"
                + " sums instead; `capxai merge` combines the shards' files into the scores of all images.")
public final class MatchCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--standalone", required = true, description = "Weights of the standalone model (a ResNet).")
    Path standalone;

    @Option(names = "--clip", required = true, description = "CLIP weights (OpenAI layout: TorchScript, state dict or safetensors).")
    Path clip;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Images images;

    static final class Images {
        @Option(names = "--input", description = "safetensors file with float32 'input' [N, 3, H, W].")
        Path input;

        @Option(names = "--images", description = "A dataset: colored-mnist:train|test|real-world[:grey] or a folder with labels.csv"
                + " (preprocessed for CLIP, as the audit does).")
        String dataset;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Output output;

    static final class Output {
        @Option(names = "--out", description = "safetensors file for the scores and statistics.")
        Path scores;

        @Option(names = "--partial", description = "safetensors file for the partial sums of the shard (see --shard).")
        Path partial;
    }

    @Option(names = "--shard", defaultValue = "0/1", description = "I/N: the images i with i mod N = I; I/N:contiguous: the"
            + " I-th of N contiguous ranges (default: ${DEFAULT-VALUE}, all images).")
    String shard;

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
        ImageShard part = ImageShard.parse(shard);
        if (output.partial != null && e != Audit.Engine.FUSED) {
            throw new IllegalArgumentException("--partial needs the fused engine (the reference engine keeps every image)");
        }
        ImageModel standaloneModel = Models.imageModel(Weights.load(standalone), Models.Architecture.AUTO);
        ClipModel clipModel = ClipModel.fromStateDict(Weights.load(clip));
        ImageModel clipTower = clipModel.visual();
        List<String> sTaps = standaloneModel.defaultTaps();
        List<String> cTaps = clipTower.defaultTaps();
        BiFunction<DeviceWorkers.Worker, DeviceWorkers.Share, ActivationSource> sources;
        Map<String, String> provenance;
        int[] indices;
        if (images.input != null) {
            Tensor all = Safetensors.read(images.input).get("input");
            if (!Tensors.hasType(all, ScalarType.Float)) {
                throw new IllegalArgumentException(images.input + ": 'input' must be float32, got " + all.scalar_type());
            }
            indices = part.indices((int) all.size(0));
            Tensor picked = all.index_select(0, Tensors.fromInts(indices, indices.length).to(ScalarType.Long));
            // Each worker takes its contiguous rows of the shard (a view; ModelActivations copies batches to its device).
            sources = (w, share) -> ModelActivations.of(w.standalone(), sTaps, w.clip(), cTaps,
                    picked.narrow(0, share.positions().length == 0 ? 0 : share.positions()[0], share.positions().length),
                    batchSize, share.progress());
            provenance = Audit.provenance(models(standalone, clip), sTaps, cTaps, "input sha256:" + sha256(images.input),
                    (int) all.size(0), "as given");
        } else {
            Dataset data = AuditData.parse(images.dataset).dataset();
            ClipPreprocess pre = ClipPreprocess.clip(Math.toIntExact(clipModel.config().imageResolution()));
            indices = part.indices(data.size());
            int[] shardImages = indices;
            sources = (w, share) -> ModelActivations.of(w.standalone(), sTaps, w.clip(), cTaps,
                    Batches.of(data, pre, batchSize, Arrays.stream(share.positions()).map(k -> shardImages[k]).toArray()),
                    share.progress(), "statistics");
            provenance = Audit.provenance(models(standalone, clip), sTaps, cTaps, data.name(), data.size(),
                    pre.resolution() + " px, " + pre.resampling());
        }
        DeviceWorkers workers = DeviceWorkers.of(devices, standaloneModel, clipTower);
        if (output.partial != null) {
            Partials.write(output.partial, workers.partial(indices.length, batchSize, ProgressListener.NONE, Backends.SYSTEM, sources)
                    .describedAs(provenance, part));
            spec.commandLine().getOut().printf("wrote %s: partial sums of shard %s (%d images)%n", output.partial, part, indices.length);
            return 0;
        }
        MatchResult result = Audit.match(workers, indices.length, batchSize, sources, e, Backends.SYSTEM, ProgressListener.NONE);
        writeScores(output.scores, result, Map.of("engine", engine.toLowerCase(), "shard", part.toString()));
        spec.commandLine().getOut().printf("wrote %s: scores %d x %d over %d images (%s engine)%n", output.scores,
                result.scores().rowCount(), result.scores().colCount(), indices.length, engine.toLowerCase());
        return 0;
    }

    /** The score file of {@code match --out} and {@code merge --out}; {@code metadata} adds to rows, cols and images. */
    static void writeScores(Path out, MatchResult result, Map<String, String> metadata) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("scores", Tensors.fromFloats(result.scores().values(), result.scores().rowCount(), result.scores().colCount()));
        putStats(tensors, "standalone", result.standalone());
        putStats(tensors, "clip", result.clip());
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put("rows", names(result.scores().rows()));
        meta.put("cols", names(result.scores().cols()));
        meta.put("images", Long.toString(result.standalone().images()));
        Safetensors.write(out, tensors, meta);
    }

    /** What identifies the two models of a statistics pass: their weight files' SHA-256. */
    static Map<String, String> models(Path standalone, Path clip) {
        return Map.of("standalone.sha256", sha256(standalone), "clip.sha256", sha256(clip));
    }

    static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot read " + file, ex);
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static void putStats(Map<String, Tensor> out, String prefix, ChannelStats stats) {
        out.put(prefix + "_mean", Tensors.fromDoubles(stats.mean(), stats.mean().length).to(ScalarType.Float));
        out.put(prefix + "_std", Tensors.fromDoubles(stats.std(), stats.std().length).to(ScalarType.Float));
    }

    private static String names(List<TapBlock> taps) {
        return String.join(",", taps.stream().map(TapBlock::name).toList());
    }
}
