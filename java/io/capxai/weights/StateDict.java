package io.capxai.weights;

import io.capxai.tensors.Tensors;
import org.bytedeco.pytorch.Tensor;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Named tensors, as PyTorch's {@code state_dict()}: {@code "layer1.0.conv1.weight" -> Tensor}.
 *
 * <p>Models read their parameters through {@link #get(String, long...)}, which checks shapes and
 * names the key on any mismatch. The dict remembers which keys were read, so that
 * {@link #requireAllUsed()} can reject a file with unexpected extra tensors.
 */
public final class StateDict {
    private final Map<String, Tensor> tensors;
    private final Map<String, String> metadata;
    private final Set<String> used;
    private final String prefix;

    public StateDict(Map<String, Tensor> tensors, Map<String, String> metadata) {
        this(new LinkedHashMap<>(tensors), Map.copyOf(metadata), new TreeSet<>(), "");
    }

    public StateDict(Map<String, Tensor> tensors) {
        this(tensors, Map.of());
    }

    private StateDict(Map<String, Tensor> tensors, Map<String, String> metadata, Set<String> used, String prefix) {
        this.tensors = tensors;
        this.metadata = metadata;
        this.used = used;
        this.prefix = prefix;
    }

    /** The tensor named {@code key}; a {@link WeightsException} naming the key if it is absent. */
    public Tensor get(String key) {
        String full = prefix + key;
        Tensor t = tensors.get(full);
        if (t == null) {
            throw new WeightsException("missing tensor '" + full + "' (" + tensors.size() + " tensors present)");
        }
        used.add(full);
        return t;
    }

    /** The tensor named {@code key}, which must have exactly {@code shape}. */
    public Tensor get(String key, long... shape) {
        Tensor t = get(key);
        long[] actual = Tensors.shape(t);
        if (!Arrays.equals(actual, shape)) {
            throw new WeightsException("tensor '" + prefix + key + "' has shape " + Arrays.toString(actual)
                    + ", expected " + Arrays.toString(shape));
        }
        return t;
    }

    public boolean contains(String key) {
        return tensors.containsKey(prefix + key);
    }

    /** The keys visible through this view (prefix stripped), in file order. */
    public Set<String> keys() {
        Set<String> out = new java.util.LinkedHashSet<>();
        for (String k : tensors.keySet()) {
            if (k.startsWith(prefix)) {
                out.add(k.substring(prefix.length()));
            }
        }
        return Collections.unmodifiableSet(out);
    }

    /** The shape of {@code key} without marking it used; null if absent. */
    public long[] shapeOf(String key) {
        Tensor t = tensors.get(prefix + key);
        return t == null ? null : Tensors.shape(t);
    }

    /** A view of the keys under {@code prefix} (e.g. "visual."), with the prefix stripped. */
    public StateDict withPrefix(String prefix) {
        return new StateDict(tensors, metadata, used, this.prefix + prefix);
    }

    /** Free-form string metadata of the file (safetensors {@code __metadata__}). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Throws naming every key of this view that no model read: a file with extra tensors is not the model asked for. */
    public void requireAllUsed() {
        Set<String> extra = new TreeSet<>();
        for (String k : tensors.keySet()) {
            if (k.startsWith(prefix) && !used.contains(k)) {
                extra.add(k);
            }
        }
        if (!extra.isEmpty()) {
            throw new WeightsException("unexpected tensors not used by the model: " + abbreviate(extra));
        }
    }

    /** All tensors, in file order (read-only). */
    public Map<String, Tensor> asMap() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String k : keys()) {
            out.put(k, tensors.get(prefix + k));
        }
        return Collections.unmodifiableMap(out);
    }

    public int size() {
        return keys().size();
    }

    private static String abbreviate(Set<String> keys) {
        if (keys.size() <= 10) {
            return String.join(", ", keys);
        }
        return String.join(", ", keys.stream().limit(10).toList()) + " ... (" + keys.size() + " in all)";
    }
}
