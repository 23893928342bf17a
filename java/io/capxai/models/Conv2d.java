package io.capxai.models;

import io.capxai.weights.WeightsException;
import io.capxai.tensors.Tensors;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/** {@code nn.Conv2d} with a square kernel, no groups, no dilation; weight {@code [out, in, k, k]}. */
final class Conv2d {
    private final Tensor weight;
    private final Tensor bias;
    private final long[] stride;
    private final long[] padding;

    /**
     * Reads {@code name.weight} (and {@code name.bias} when {@code withBias}); the output channel count
     * comes from the tensor, the input channel count and kernel size are checked.
     */
    Conv2d(ModuleState state, String name, long inChannels, long kernel, long stride, long padding, boolean withBias) {
        this.weight = state.parameterOfRank(name + ".weight", 4);
        long[] shape = Tensors.shape(weight);
        if (shape[1] != inChannels || shape[2] != kernel || shape[3] != kernel) {
            throw new WeightsException("tensor '" + name + ".weight' has shape " + Tensors.shapeString(weight)
                    + ", expected [*, " + inChannels + ", " + kernel + ", " + kernel + "]");
        }
        this.bias = withBias ? state.parameter(name + ".bias", shape[0]) : null;
        this.stride = new long[] {stride, stride};
        this.padding = new long[] {padding, padding};
    }

    long outChannels() {
        return weight.size(0);
    }

    long kernel() {
        return weight.size(2);
    }

    Tensor forward(Tensor x) {
        TensorOptional b = bias == null ? new TensorOptional() : new TensorOptional(bias);
        return torch.conv2d(x, weight, b, stride, padding, new long[] {1, 1}, 1);
    }
}
