package io.capxai.matching;

import io.capxai.tensors.Tensors;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The taps of one model as seen in the first batch; later batches must agree with it. */
final class TapLayout {
    private TapLayout() {}

    /** Tap blocks in map order, from the shapes of one batch. */
    static List<TapBlock> of(String model, Map<String, Tensor> taps) {
        if (taps.isEmpty()) {
            throw new IllegalArgumentException(model + ": no taps captured");
        }
        List<TapBlock> blocks = new ArrayList<>();
        int offset = 0;
        for (Map.Entry<String, Tensor> e : taps.entrySet()) {
            long[] s = shape4(model, e.getKey(), e.getValue());
            blocks.add(new TapBlock(e.getKey(), offset, (int) s[1], (int) s[2], (int) s[3]));
            offset += (int) s[1];
        }
        return blocks;
    }

    /** Checks that a batch has the layout's taps and shapes, and returns its image count. */
    static long check(String model, List<TapBlock> layout, Map<String, Tensor> taps) {
        if (taps.size() != layout.size()) {
            throw new IllegalArgumentException(model + ": batch has taps " + taps.keySet() + ", expected "
                    + layout.stream().map(TapBlock::name).toList());
        }
        long n = -1;
        for (TapBlock b : layout) {
            Tensor t = taps.get(b.name());
            if (t == null) {
                throw new IllegalArgumentException(model + ": batch lacks tap '" + b.name() + "'");
            }
            long[] s = shape4(model, b.name(), t);
            if (s[1] != b.channels() || s[2] != b.height() || s[3] != b.width()) {
                throw new IllegalArgumentException(model + ": tap '" + b.name() + "' has shape " + Arrays.toString(s)
                        + ", earlier batches had [N, " + b.channels() + ", " + b.height() + ", " + b.width() + "]");
            }
            if (n >= 0 && s[0] != n) {
                throw new IllegalArgumentException(model + ": taps disagree on the batch size (" + n + " vs " + s[0] + ")");
            }
            n = s[0];
        }
        return n;
    }

    private static long[] shape4(String model, String name, Tensor t) {
        long[] s = Tensors.shape(t);
        if (s.length != 4) {
            throw new IllegalArgumentException(model + ": tap '" + name + "' must be [N, C, H, W], got " + Arrays.toString(s));
        }
        if (!Tensors.hasType(t, ScalarType.Float)) {
            throw new IllegalArgumentException(model + ": tap '" + name + "' must be float32, got " + t.scalar_type());
        }
        return s;
    }

    static int channels(List<TapBlock> layout) {
        TapBlock last = layout.getLast();
        return last.offset() + last.channels();
    }
}
