package io.capxai.weights;

import com.fasterxml.jackson.databind.JsonNode;
import io.capxai.json.Json;
import org.bytedeco.pytorch.Tensor;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A TensorFlow.js layers model: {@code model.json} (the Keras topology plus a
 * {@code weightsManifest}) and binary shards {@code group1-shard1ofN.bin ...}. Each manifest group
 * lists its shard files and its tensors; the tensors lie back to back, little-endian, in manifest
 * order, across the group's shards read as one concatenated buffer.
 *
 * <p>{@link #readKeras} gives the tensors under their Keras names in TensorFlow layout
 * ({@code conv1/kernel} as [H, W, in, out]). {@link #readStateDict} converts them to PyTorch
 * layout and names: the Keras ResNet50 through {@link KerasResNet50Weights}, any other model
 * generically ({@code layer/kernel} of rank 4 -> {@code layer.weight} [out, in, H, W]; of rank 2
 * -> {@code layer.weight} [out, in]; {@code gamma, beta, moving_mean, moving_variance} ->
 * {@code weight, bias, running_mean, running_var}).
 */
public final class TfjsLayersModel {

    private TfjsLayersModel() {}

    /** The tensors of {@code modelJson} under their Keras names, TensorFlow layout, manifest order. */
    public static Map<String, Tensor> readKeras(Path modelJson) {
        JsonNode model = parse(modelJson);
        JsonNode manifest = model.get("weightsManifest");
        if (manifest == null || !manifest.isArray() || manifest.isEmpty()) {
            throw new WeightsException(modelJson + ": no weightsManifest (not a TF.js layers model?)");
        }
        Path dir = modelJson.toAbsolutePath().getParent();
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (JsonNode group : manifest) {
            readGroup(modelJson, dir, group, out);
        }
        return out;
    }

    /** Metadata of {@code modelJson}: format, generator, converter, Keras version. */
    public static Map<String, String> metadata(Path modelJson) {
        JsonNode model = parse(modelJson);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("source.format", "tfjs " + model.path("format").asText("layers-model"));
        copy(model, "generatedBy", meta, "source.generated_by");
        copy(model, "convertedBy", meta, "source.converted_by");
        copy(model.path("modelTopology"), "keras_version", meta, "source.keras_version");
        return meta;
    }

    /** The model as a PyTorch-layout state dict (see the class comment for the naming). */
    public static StateDict readStateDict(Path modelJson) {
        Map<String, Tensor> keras = readKeras(modelJson);
        Map<String, String> meta = metadata(modelJson);
        if (KerasResNet50Weights.matches(keras.keySet())) {
            return KerasResNet50Weights.toTorch(keras, meta);
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        keras.forEach((name, t) -> out.put(genericTorchName(name), toTorchLayout(name, t)));
        return new StateDict(out, meta);
    }

    /** A Keras kernel in PyTorch layout: conv [H, W, in, out] -> [out, in, H, W]; dense [in, out] -> [out, in]. */
    static Tensor toTorchLayout(String kerasName, Tensor t) {
        if (!kerasName.endsWith("/kernel")) {
            return t;
        }
        return switch ((int) t.dim()) {
            case 4 -> t.permute(3, 2, 0, 1).contiguous();
            case 2 -> t.t().contiguous();
            default -> throw new WeightsException("Keras kernel '" + kerasName + "' has rank " + t.dim()
                    + "; only 2-D convolutions and dense layers are converted");
        };
    }

    private static String genericTorchName(String kerasName) {
        int slash = kerasName.lastIndexOf('/');
        String layer = kerasName.substring(0, Math.max(slash, 0)).replace('/', '.');
        String variable = kerasName.substring(slash + 1);
        String torch = switch (variable) {
            case "kernel", "gamma" -> "weight";
            case "beta" -> "bias";
            case "moving_mean" -> "running_mean";
            case "moving_variance" -> "running_var";
            default -> variable;
        };
        return layer.isEmpty() ? torch : layer + "." + torch;
    }

    private static void readGroup(Path modelJson, Path dir, JsonNode group, Map<String, Tensor> out) {
        List<Path> shards = new ArrayList<>();
        long shardBytes = 0;
        for (JsonNode p : group.path("paths")) {
            String name = p.asText();
            if (name.isEmpty() || name.contains("..") || name.startsWith("/") || name.contains("\\")) {
                throw new WeightsException(modelJson + ": shard path '" + name + "' must be a plain file name next to model.json");
            }
            Path shard = dir.resolve(name);
            try {
                shardBytes += Files.size(shard);
            } catch (NoSuchFileException e) {
                throw new WeightsException(modelJson + ": shard " + shard + " not found", e);
            } catch (IOException e) {
                throw new WeightsException(shard + ": cannot read: " + e.getMessage(), e);
            }
            shards.add(shard);
        }
        if (shards.isEmpty()) {
            throw new WeightsException(modelJson + ": a weightsManifest group lists no shard files");
        }
        long needed = 0;
        for (JsonNode w : group.path("weights")) {
            needed += count(modelJson, w) * dtype(modelJson, w).elementSize;
        }
        if (needed != shardBytes) {
            throw new WeightsException(modelJson + ": the manifest needs " + needed + " bytes, the shards " + shards.get(0).getFileName()
                    + ".. hold " + shardBytes + " (truncated or mismatched shards)");
        }
        try (InputStream in = concatenated(shards)) {
            for (JsonNode w : group.path("weights")) {
                String name = w.path("name").asText();
                StorageType type = dtype(modelJson, w);
                long[] shape = shape(modelJson, w);
                Tensor flat = StorageBytes.read(in, type, count(modelJson, w), ByteOrder.LITTLE_ENDIAN, modelJson + ": weight " + name);
                if (out.put(name, flat.reshape(shape)) != null) {
                    throw new WeightsException(modelJson + ": weight " + name + " listed twice");
                }
            }
        } catch (IOException e) {
            throw new WeightsException(modelJson + ": cannot read shards: " + e.getMessage(), e);
        }
    }

    private static InputStream concatenated(List<Path> shards) throws IOException {
        List<InputStream> streams = new ArrayList<>();
        for (Path s : shards) {
            streams.add(new BufferedInputStream(Files.newInputStream(s), 1 << 16));
        }
        return new SequenceInputStream(Collections.enumeration(streams));
    }

    private static StorageType dtype(Path modelJson, JsonNode w) {
        if (w.has("quantization")) {
            throw new WeightsException(modelJson + ": weight " + w.path("name").asText() + " is quantized: not supported");
        }
        String dtype = w.path("dtype").asText("float32");
        return switch (dtype) {
            case "float32" -> StorageType.FLOAT;
            case "int32" -> StorageType.INT;
            case "bool" -> StorageType.BOOL;
            default -> throw new WeightsException(modelJson + ": weight " + w.path("name").asText() + " has unsupported dtype " + dtype);
        };
    }

    private static long[] shape(Path modelJson, JsonNode w) {
        JsonNode s = w.get("shape");
        if (s == null || !s.isArray()) {
            throw new WeightsException(modelJson + ": weight " + w.path("name").asText() + " has no shape");
        }
        long[] shape = new long[s.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = s.get(i).asLong(-1);
            if (shape[i] < 0) {
                throw new WeightsException(modelJson + ": weight " + w.path("name").asText() + " has a bad shape " + s);
            }
        }
        return shape;
    }

    private static long count(Path modelJson, JsonNode w) {
        long n = 1;
        for (long d : shape(modelJson, w)) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    private static JsonNode parse(Path modelJson) {
        try {
            JsonNode node = Json.MAPPER.readTree(modelJson.toFile());
            if (node == null || !node.isObject()) {
                throw new WeightsException(modelJson + ": not a JSON object");
            }
            return node;
        } catch (java.io.FileNotFoundException | NoSuchFileException e) {
            throw new WeightsException("weight file not found: " + modelJson, e);
        } catch (IOException e) {
            throw new WeightsException(modelJson + ": not valid JSON: " + e.getMessage(), e);
        }
    }

    private static void copy(JsonNode from, String field, Map<String, String> to, String key) {
        if (from.hasNonNull(field)) {
            to.put(key, from.get(field).asText());
        }
    }
}
