package io.capxai.models;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * {@code nn.BatchNorm2d}: running statistics in eval mode; batch statistics (and a momentum-0.1
 * update of the running ones) in training mode.
 */
final class BatchNorm2d {
    private static final double MOMENTUM = 0.1;
    private final ModuleState state;
    private final Tensor weight;
    private final Tensor bias;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final double eps;

    BatchNorm2d(ModuleState state, String name, long channels, double eps) {
        this.state = state;
        this.weight = state.parameter(name + ".weight", channels);
        this.bias = state.parameter(name + ".bias", channels);
        this.runningMean = state.buffer(name + ".running_mean", channels);
        this.runningVar = state.buffer(name + ".running_var", channels);
        state.ignore(name + ".num_batches_tracked"); // only used when momentum is None
        this.eps = eps;
    }

    Tensor forward(Tensor x) {
        return torch.batch_norm(x, new TensorOptional(weight), new TensorOptional(bias),
                new TensorOptional(runningMean), new TensorOptional(runningVar),
                state.training(), MOMENTUM, eps, true);
    }
}
