package io.capxai.models;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/** {@code nn.LayerNorm} over the last dimension, eps 1e-5 (CLIP computes it in float32). */
final class LayerNorm {
    private static final double EPS = 1e-5;
    private final Tensor weight;
    private final Tensor bias;
    private final long dim;

    LayerNorm(ModuleState state, String name, long dim) {
        this.weight = state.parameter(name + ".weight", dim);
        this.bias = state.parameter(name + ".bias", dim);
        this.dim = dim;
    }

    Tensor forward(Tensor x) {
        return torch.layer_norm(x, new long[] {dim}, new TensorOptional(weight), new TensorOptional(bias), EPS, true);
    }
}
