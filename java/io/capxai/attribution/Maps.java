package io.capxai.attribution;

import io.capxai.tensors.Tensors;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** The last steps every image method shares: a coarse grid resized to the input, scaled to [0, 1]. */
public final class Maps {
    private Maps() {}

    /** A {@code [h, w]} (or [1, 1, h, w]) map resized bilinearly (align_corners=false) to {@code size x size}. */
    public static Tensor resize(Tensor grid, int size) {
        Tensor g = grid.detach().reshape(1, 1, grid.size(-2), grid.size(-1)).to(grid.device(),
                torch.ScalarType.Float);
        return torch.upsample_bilinear2d(g, new long[] {size, size}, false).reshape(size, size);
    }

    /** Min-max scaling to [0, 1]; a constant map (nothing stands out) becomes all zeros. */
    public static float[] minMax(float[] values) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            if (Float.isNaN(v)) {
                throw new IllegalStateException("attribution map contains NaN");
            }
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        float[] out = new float[values.length];
        if (hi > lo) {
            for (int i = 0; i < values.length; i++) {
                out[i] = (values[i] - lo) / (hi - lo);
            }
        }
        return out;
    }

    public static float[] minMax(Tensor t) {
        return minMax(Tensors.toFloats(t.detach()));
    }
}
