package io.capxai.models;

import io.capxai.tensors.Tensors;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/** Checks on model inputs, so that bad input gives a clear Java exception rather than a libtorch one. */
final class Inputs {
    private Inputs() {}

    /** Float images {@code [N, 3, H, W]}, finite, at least {@code minSize} pixels a side, on the model's device. */
    static Tensor images(Tensor x, String model, long minSize, ModuleState state) {
        if (x == null) {
            throw new IllegalArgumentException(model + ": input images are null");
        }
        if (x.dim() != 4 || x.size(1) != 3) {
            throw new IllegalArgumentException(model + ": expected images [N, 3, H, W], got " + Tensors.shapeString(x));
        }
        if (x.size(0) == 0) {
            throw new IllegalArgumentException(model + ": empty batch " + Tensors.shapeString(x));
        }
        if (x.size(2) < minSize || x.size(3) < minSize) {
            throw new IllegalArgumentException(model + ": images " + Tensors.shapeString(x) + " are smaller than "
                    + minSize + "x" + minSize);
        }
        sameDevice(x, state, model, "images");
        return finiteFloat(x, model, "images");
    }

    static void sameDevice(Tensor x, ModuleState state, String model, String what) {
        String device = x.device().str().getString();
        if (!device.equals(state.device())) {
            throw new IllegalArgumentException(model + ": " + what + " are on " + device + " but the weights on "
                    + state.device() + "; move one of them (ModuleState.to)");
        }
    }

    /** A float tensor with only finite values (float64/float16 are converted to float32). */
    static Tensor finiteFloat(Tensor x, String model, String what) {
        if (!x.is_floating_point()) {
            throw new IllegalArgumentException(model + ": " + what + " must be floating point, got " + x.scalar_type());
        }
        Tensor f = x.scalar_type().intern() == ScalarType.Float ? x : x.to(ScalarType.Float);
        if (!torch.isfinite(f).all().item_bool()) {
            throw new IllegalArgumentException(model + ": " + what + " " + Tensors.shapeString(x)
                    + " contain NaN or infinite values");
        }
        return f;
    }
}
