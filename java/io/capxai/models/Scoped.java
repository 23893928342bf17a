package io.capxai.models;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

import java.util.function.Supplier;

/**
 * Frees intermediate tensors when a block of a forward pass returns.
 *
 * <p>JavaCPP releases a Java tensor handle only when the garbage collector finds it, which the small
 * Java objects rarely trigger; a forward pass makes hundreds of activations. Running each block in
 * a {@link PointerScope} releases its intermediates' handles on return (libtorch still keeps whatever
 * autograd needs). The block's result is handed to the enclosing scope, or to the garbage collector
 * when there is none.
 */
final class Scoped {
    private Scoped() {}

    static Tensor run(Supplier<Tensor> block) {
        Tensor out;
        try (PointerScope scope = new PointerScope()) {
            // A fresh handle on the result: ours alone, whoever owns the result object itself (a
            // replace function may return a tensor its caller keeps).
            out = new Tensor(block.get());
            out.retainReference(); // survives the close below
        }
        PointerScope outer = PointerScope.getInnerScope();
        if (outer != null) {
            outer.attach(out);
            out.releaseReference(); // now owned by the enclosing scope only
        }
        return out;
    }
}
