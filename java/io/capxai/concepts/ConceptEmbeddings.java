package io.capxai.concepts;

import io.capxai.progress.ProgressListener;
import io.capxai.models.ClipModel;
import io.capxai.tensors.Tensors;
import io.capxai.weights.Safetensors;
import io.capxai.weights.StateDict;
import io.capxai.weights.WeightsException;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The L2-normalised text embedding of every synset of a {@link ConceptHierarchy}: row i is synset
 * i. Computed once per model, hierarchy and {@link ConceptText} mode, in batches, and cached as
 * safetensors ({@code embeddings} float32 {@code [|T|, E]}) keyed by the model's and the hierarchy's
 * checksums.
 */
public final class ConceptEmbeddings {
    public static final String PHASE = "concept embeddings";
    private final Tensor matrix;
    private final ConceptText text;

    /** {@code matrix} {@code [|T|, E]}; rows are L2-normalised here. */
    public ConceptEmbeddings(Tensor matrix, ConceptText text) {
        if (matrix.dim() != 2 || matrix.size(0) == 0) {
            throw new IllegalArgumentException("concept embeddings must be a non-empty [concepts, embed] matrix, got "
                    + Tensors.shapeString(matrix));
        }
        Tensor f = matrix.to(ScalarType.Float);
        if (!f.isfinite().all().item_bool()) {
            throw new IllegalArgumentException("concept embeddings contain NaN or infinite values");
        }
        this.matrix = torch.normalize(f); // rows to unit length; zero rows stay zero
        this.text = text;
    }

    /** Encodes every synset's text with {@code encoder}, {@code batchSize} texts at a time. */
    public static ConceptEmbeddings compute(TextEncoder encoder, ConceptHierarchy hierarchy, ConceptText text,
                                            int batchSize, ProgressListener progress) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        int n = hierarchy.size();
        int batches = (n + batchSize - 1) / batchSize;
        List<Tensor> parts = new ArrayList<>();
        progress.started(PHASE, batches);
        try (NoGradGuard _ = new NoGradGuard()) {
            for (int b = 0; b < batches; b++) {
                List<String> texts = new ArrayList<>();
                for (int i = b * batchSize; i < Math.min(n, (b + 1) * batchSize); i++) {
                    texts.add(text.of(hierarchy.concept(i)));
                }
                try (PointerScope _ = new PointerScope()) {
                    Tensor e = encoder.encode(texts).to(ScalarType.Float).cpu().clone();
                    e.retainReference(); // outlives this batch's scope
                    parts.add(e);
                }
                progress.advanced(PHASE, b + 1, batches);
            }
        } finally {
            progress.finished(PHASE);
        }
        return new ConceptEmbeddings(org.bytedeco.pytorch.global.torch.cat(
                new org.bytedeco.pytorch.TensorVector(parts.toArray(new Tensor[0])), 0), text);
    }

    /**
     * The cached embeddings for this model, hierarchy and mode in {@code cacheDir}, computed and
     * written there when absent or unreadable.
     */
    public static ConceptEmbeddings cached(TextEncoder encoder, String modelChecksum, ConceptHierarchy hierarchy,
                                           ConceptText text, Path cacheDir, int batchSize, ProgressListener progress) {
        Path file = cacheDir.resolve(cacheFileName(modelChecksum, hierarchy, text));
        Map<String, String> meta = new TreeMap<>(Map.of("model_sha256", modelChecksum,
                "hierarchy_sha256", hierarchy.checksum(), "text", text.name(), "concepts", String.valueOf(hierarchy.size())));
        if (Files.isRegularFile(file)) {
            ConceptEmbeddings loaded = tryLoad(file, meta, hierarchy.size(), text);
            if (loaded != null) {
                return loaded;
            }
        }
        ConceptEmbeddings fresh = compute(encoder, hierarchy, text, batchSize, progress);
        try {
            Files.createDirectories(cacheDir);
            Path tmp = Files.createTempFile(cacheDir, "embeddings", ".tmp");
            Safetensors.write(tmp, Map.of("embeddings", fresh.matrix), meta);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the concept-embedding cache " + file, e);
        }
        return fresh;
    }

    /** File name: model and hierarchy checksum prefixes and the mode. */
    public static String cacheFileName(String modelChecksum, ConceptHierarchy hierarchy, ConceptText text) {
        return "concepts-" + prefix(modelChecksum) + "-" + prefix(hierarchy.checksum()) + "-"
                + text.name().toLowerCase(java.util.Locale.ROOT) + ".safetensors";
    }

    /** The cache under {@link io.capxai.tensors.CacheDir}. */
    public static Path defaultCacheDir() {
        return io.capxai.tensors.CacheDir.resolve("concept-embeddings");
    }

    private static ConceptEmbeddings tryLoad(Path file, Map<String, String> meta, int concepts, ConceptText text) {
        try {
            StateDict sd = Safetensors.read(file);
            if (!sd.metadata().equals(meta) || !sd.contains("embeddings") || sd.shapeOf("embeddings")[0] != concepts) {
                return null; // a stale or foreign file under our name: recompute
            }
            return new ConceptEmbeddings(sd.get("embeddings").clone(), text);
        } catch (WeightsException | IllegalArgumentException e) {
            return null; // truncated or corrupt cache: recompute
        }
    }

    /** SHA-256 over a model's state dict (names, shapes, float32 bytes): the cache key of a model. */
    public static String fingerprint(ClipModel model) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, Tensor> e : new TreeMap<>(model.stateDict()).entrySet()) {
                try (PointerScope _ = new PointerScope()) {
                    Tensor t = e.getValue().to(ScalarType.Float).cpu().contiguous();
                    md.update((e.getKey() + java.util.Arrays.toString(Tensors.shape(t))).getBytes(StandardCharsets.UTF_8));
                    md.update(Tensors.segment(t).asByteBuffer());
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code [|T|, E]}, rows L2-normalised, float32. */
    public Tensor matrix() {
        return matrix;
    }

    public int size() {
        return (int) matrix.size(0);
    }

    public long dim() {
        return matrix.size(1);
    }

    public ConceptText text() {
        return text;
    }

    private static String prefix(String checksum) {
        return checksum.substring(0, Math.min(16, checksum.length()));
    }
}
