package io.capxai.models;

import io.capxai.tensors.Tensors;
import io.capxai.weights.WeightsException;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/** {@code nn.Linear}: {@code y = x W^T + b}, weight {@code [out, in]}. */
final class Linear {
    private final Tensor weight;
    private final Tensor bias;

    /** Reads {@code name.weight} with {@code in} columns (rows from the tensor) and {@code name.bias}. */
    Linear(ModuleState state, String name, long in) {
        this.weight = state.parameterOfRank(name + ".weight", 2);
        if (weight.size(1) != in) {
            throw new WeightsException("tensor '" + name + ".weight' has shape " + Tensors.shapeString(weight)
                    + ", expected [*, " + in + "]");
        }
        this.bias = state.parameter(name + ".bias", weight.size(0));
    }

    /** From tensors already read (e.g. the q/k/v slices of a fused projection). */
    Linear(Tensor weight, Tensor bias) {
        this.weight = weight;
        this.bias = bias;
    }

    long outFeatures() {
        return weight.size(0);
    }

    Tensor forward(Tensor x) {
        return torch.linear(x, weight, new TensorOptional(bias));
    }
}
