package io.capxai.models;

import io.capxai.tensors.Libtorch;
import io.capxai.tensors.Tensors;
import io.capxai.weights.StateDict;
import io.capxai.weights.WeightsException;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tensors of one model, named as in its PyTorch {@code state_dict}, and its train/eval mode.
 *
 * <p>Layers take their tensors from here while the model is built: every tensor is checked (shape,
 * floating point, finite) and converted to contiguous float32 (fp16 checkpoints are widened once, on
 * load). Parameters (learnable) and buffers (BatchNorm running statistics) are kept apart so that
 * training can ask for {@link #parameters()} only.
 */
public final class ModuleState {
    static {
        Libtorch.configure(); // before libtorch loads
    }

    private final StateDict weights;
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private boolean training;

    public ModuleState(StateDict weights) {
        this.weights = weights;
    }

    /** The source dict (for architecture inference from key names and shapes). */
    public StateDict weights() {
        return weights;
    }

    /** A learnable tensor that must have exactly {@code shape}. */
    public Tensor parameter(String name, long... shape) {
        Tensor t = asFloat32(name, weights.get(name, shape));
        parameters.put(name, t);
        return t;
    }

    /** A learnable tensor of any shape with {@code rank} dimensions (the caller checks the sizes that matter). */
    public Tensor parameterOfRank(String name, int rank) {
        Tensor raw = weights.get(name);
        if (raw.dim() != rank) {
            throw new WeightsException("tensor '" + name + "' has shape " + Tensors.shapeString(raw) + ", expected "
                    + rank + " dimensions");
        }
        Tensor t = asFloat32(name, raw);
        parameters.put(name, t);
        return t;
    }

    /** A non-learnable float tensor (running statistics) that must have exactly {@code shape}. */
    public Tensor buffer(String name, long... shape) {
        Tensor t = asFloat32(name, weights.get(name, shape));
        buffers.put(name, t);
        return t;
    }

    /** Reads a key that the model does not need (e.g. {@code num_batches_tracked}) so it counts as used. */
    public void ignore(String name) {
        if (weights.contains(name)) {
            weights.get(name);
        }
    }

    /** Learnable tensors by name, in load order. */
    public Map<String, Tensor> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /** Running statistics by name. */
    public Map<String, Tensor> buffers() {
        return Collections.unmodifiableMap(buffers);
    }

    /** Parameters and buffers together, as PyTorch's {@code state_dict()} would list them. */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> all = new LinkedHashMap<>(parameters);
        all.putAll(buffers);
        return Collections.unmodifiableMap(all);
    }

    /** Sets {@code requires_grad} on every parameter (buffers never need gradients). */
    public void requiresGrad(boolean on) {
        parameters.values().forEach(t -> t.set_requires_grad(on));
    }

    /**
     * Moves every parameter and buffer to {@code device} in place (the layers keep their tensor
     * objects, as {@code nn.Module.to} does with {@code param.data = ...}). Inputs must then be on the
     * same device.
     */
    public void to(Device device) {
        for (Tensor t : stateDict().values()) {
            t.__dispatch_set_data(t.to(device, ScalarType.Float));
        }
    }

    /**
     * A copy of every parameter and buffer on {@code device} (new tensors, detached; this state is
     * untouched), named as in {@link #stateDict()}: what an independent copy of the model is built
     * from, e.g. one per GPU.
     */
    public StateDict copyTo(Device device) {
        Map<String, Tensor> copies = new LinkedHashMap<>();
        stateDict().forEach((name, t) -> copies.put(name, t.detach().to(device, ScalarType.Float, false, true,
                new MemoryFormatOptional())));
        return new StateDict(copies, weights.metadata());
    }

    /** The device of the parameters, e.g. "cpu" or "cuda:0" ("cpu" for a model without parameters). */
    public String device() {
        return parameters.isEmpty() ? "cpu" : parameters.values().iterator().next().device().str().getString();
    }

    /** Number of learnable values. */
    public long parameterCount() {
        return parameters.values().stream().mapToLong(Tensor::numel).sum();
    }

    /** True in training mode: BatchNorm uses batch statistics and updates its running statistics. */
    public boolean training() {
        return training;
    }

    public void train(boolean on) {
        this.training = on;
    }

    private static Tensor asFloat32(String name, Tensor t) {
        if (!t.is_floating_point()) {
            throw new WeightsException("tensor '" + name + "' has dtype " + t.scalar_type() + ", expected floating point");
        }
        // JavaCPP hands out a fresh ScalarType object per call: intern() before comparing with ==.
        Tensor f = t.scalar_type().intern() == ScalarType.Float ? t : t.to(ScalarType.Float);
        f = f.contiguous();
        if (f.numel() > 0 && !torch.isfinite(f).all().item_bool()) {
            throw new WeightsException("tensor '" + name + "' " + Arrays.toString(Tensors.shape(f))
                    + " contains NaN or infinite values");
        }
        return f;
    }
}
