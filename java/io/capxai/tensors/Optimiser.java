package io.capxai.tensors;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;

import java.util.Collection;
import java.util.function.Supplier;

/**
 * libtorch's Adam (betas 0.9 / 0.999, eps 1e-8, no weight decay) over some tensors, one step per
 * call of {@link #step}. Used by training (a model's parameters) and by M2IB (one bottleneck mask).
 * Each step runs in a {@link PointerScope}, so the step's activations and gradient graph are
 * released when it returns and memory stays flat; the parameters (and Adam's moments, held in C++)
 * outlive it.
 */
public final class Optimiser {
    private final TensorVector parameters;
    private final Adam adam;
    private final String what;

    /** {@code what} names the run in the error when the loss stops being finite ("training", "M2IB"). */
    public Optimiser(Collection<Tensor> parameters, double learningRate, String what) {
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException("no parameters to optimise");
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, got " + learningRate);
        }
        for (Tensor p : parameters) {
            p.set_requires_grad(true);
        }
        this.parameters = new TensorVector(parameters.toArray(new Tensor[0]));
        this.adam = new Adam(this.parameters, new AdamOptions(learningRate));
        this.what = what;
    }

    /** Sets the learning rate of every parameter group (for a schedule). */
    public void learningRate(double lr) {
        var groups = adam.param_groups();
        for (long i = 0; i < groups.size(); i++) {
            groups.get(i).options().set_lr(lr);
        }
    }

    /** Computes {@code loss()} (a scalar), back-propagates, updates; returns the loss value. */
    public double step(Supplier<Tensor> loss) {
        try (PointerScope scope = new PointerScope()) {
            adam.zero_grad();
            Tensor l = loss.get();
            double value = l.item_double();
            if (!Double.isFinite(value)) {
                throw new IllegalStateException(what + " diverged: the loss is " + value);
            }
            Autograd.backward(l);
            adam.step();
            return value;
        }
    }
}
