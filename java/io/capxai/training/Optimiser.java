package io.capxai.training;

import io.capxai.tensors.Autograd;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;

import java.util.Collection;
import java.util.function.Supplier;

/**
 * libtorch's Adam over a model's parameters, one step per call of {@link #step}. Each step runs in a
 * {@link PointerScope}, so the step's activations and gradients graph are released when it returns
 * and memory stays flat; the parameters (and Adam's moments, held in C++) outlive it.
 */
final class Optimiser {
    private final TensorVector parameters;
    private final Adam adam;

    Optimiser(Collection<Tensor> parameters, double learningRate) {
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException("no parameters to optimise");
        }
        for (Tensor p : parameters) {
            p.set_requires_grad(true);
        }
        this.parameters = new TensorVector(parameters.toArray(new Tensor[0]));
        this.adam = new Adam(this.parameters, new AdamOptions(learningRate));
    }

    /** Sets the learning rate of every parameter group (for a schedule). */
    void learningRate(double lr) {
        var groups = adam.param_groups();
        for (long i = 0; i < groups.size(); i++) {
            groups.get(i).options().set_lr(lr);
        }
    }

    /** Computes {@code loss()} (a scalar), back-propagates, updates; returns the loss value. */
    double step(Supplier<Tensor> loss) {
        try (PointerScope scope = new PointerScope()) {
            adam.zero_grad();
            Tensor l = loss.get();
            double value = l.item_double();
            if (!Double.isFinite(value)) {
                throw new TrainingException("training diverged: the loss is " + value);
            }
            Autograd.backward(l);
            adam.step();
            return value;
        }
    }
}
