package io.capxai.tensors;

import org.bytedeco.pytorch.Tensor;

/**
 * Backward passes, with libtorch's oneDNN turned off around them on hosts where its backward
 * convolutions crash ({@link OneDnn}). Every gradient the engine computes goes through here.
 */
public final class Autograd {
    private Autograd() {}

    /** {@code loss.backward()}. */
    public static void backward(Tensor loss) {
        Libtorch.configure();
        OneDnn.enterBackward();
        try {
            loss.backward();
        } finally {
            OneDnn.exitBackward();
        }
    }
}
