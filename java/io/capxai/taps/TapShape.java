package io.capxai.taps;

import java.util.Arrays;

/** A tap point and the shape of its output for one input, e.g. {@code layer1.0.conv1 [1, 64, 56, 56]}. */
public record TapShape(String name, long[] shape) {
    public TapShape {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Channels: dimension 1 of an activation map [N, C, H, W] or logits [N, C]; the last one of tokens [N, L, D]. */
    public long channels() {
        if (shape.length == 3) {
            return shape[2];
        }
        return shape.length >= 2 ? shape[1] : 1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TapShape t && t.name.equals(name) && Arrays.equals(t.shape, shape);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + Arrays.toString(shape);
    }
}
