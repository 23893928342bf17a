package io.capxai.weights;

import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import java.util.Arrays;

/**
 * A tensor as PyTorch pickles it: a view (offset, size, stride) on a flat storage that other
 * tensors may share. The bounds are checked here in Java, before libtorch sees them, so that a
 * corrupt file gives an exception instead of a read outside the storage.
 */
final class StridedView {
    private StridedView() {}

    /** The view of {@code storage} (1-D) at {@code offset} with {@code size} and {@code stride}, sharing its memory. */
    static Tensor of(Tensor storage, long offset, long[] size, long[] stride, String source) {
        String what = source + ": tensor view (offset " + offset + ", size " + Arrays.toString(size)
                + ", stride " + Arrays.toString(stride) + ")";
        if (size.length != stride.length) {
            throw new WeightsException(what + ": size and stride differ in rank");
        }
        if (offset < 0) {
            throw new WeightsException(what + ": negative storage offset");
        }
        long numel = 1;
        long lastIndex = offset;
        for (int i = 0; i < size.length; i++) {
            if (size[i] < 0 || stride[i] < 0) {
                throw new WeightsException(what + ": negative size or stride");
            }
            numel = Math.multiplyExact(numel, size[i]);
            if (size[i] > 0) {
                lastIndex = Math.addExact(lastIndex, Math.multiplyExact(size[i] - 1, stride[i]));
            }
        }
        long available = storage.numel();
        if (numel > 0 && lastIndex >= available) {
            throw new WeightsException(what + " reaches element " + lastIndex + " of a storage of " + available
                    + " elements (corrupt or truncated file)");
        }
        return torch.as_strided(storage, size, stride, new LongOptional(offset));
    }

    /**
     * A fresh contiguous copy of {@code view} that shares nothing with its storage; floating-point
     * tensors (fp16, bf16, fp64) become float32, integer and bool tensors keep their type.
     */
    static Tensor detachedCopy(Tensor view) {
        ScalarType target = torch.is_floating_point(view) ? ScalarType.Float : view.scalar_type();
        return view.to(target, false, true, new MemoryFormatOptional(torch.MemoryFormat.Contiguous));
    }
}
