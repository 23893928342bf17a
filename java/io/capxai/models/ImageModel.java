package io.capxai.models;

import io.capxai.taps.TapSet;
import io.capxai.taps.TapShape;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** An image network with named tap points: a standalone classifier or CLIP's image tower. */
public interface ImageModel {
    /** A short human name, e.g. "ResNet-50" or "CLIP ModifiedResNet (3, 4, 6, 3)". */
    String name();

    /**
     * Runs the network on float32 images {@code [N, 3, H, W]} (already normalised), acting on
     * {@code taps} at its named points. Returns logits {@code [N, classes]} for a classifier, the
     * unnormalised embedding {@code [N, embed]} for a CLIP tower.
     */
    Tensor forward(Tensor images, TapSet taps);

    default Tensor forward(Tensor images) {
        return forward(images, TapSet.none());
    }

    /** Every tap point, in the order a forward pass reaches them. */
    List<String> tapPoints();

    /** The taps docs/method.md#models-and-taps uses for this kind of model. */
    List<String> defaultTaps();

    /** Parameters, buffers and train/eval mode. */
    ModuleState state();

    /**
     * An independent copy of this model with its weights on {@code device} (this one is untouched),
     * in the same train/eval mode: one per worker when images are split over several devices.
     */
    ImageModel copyTo(org.bytedeco.pytorch.Device device);

    /** The device of the weights, where inputs must be (as {@link ClipModel#device()}). */
    default org.bytedeco.pytorch.Device device() {
        return new org.bytedeco.pytorch.Device(state().device());
    }

    /** The input size the model expects when it is fixed (CLIP), else 0. */
    default int fixedResolution() {
        return 0;
    }

    /** Dry run on a zero image {@code [1, 3, height, width]}: the shape of every tap point, in forward order. */
    default List<TapShape> describeTaps(long height, long width) {
        List<TapShape> out = new ArrayList<>();
        try (NoGradGuard _ = new NoGradGuard()) {
            Tensor zeros = torch.zeros(1, 3, height, width).to(device(), torch.ScalarType.Float);
            forward(zeros, TapSet.none().observeAll((name, t) -> out.add(new TapShape(name, t.sizes().vec().get()))));
        }
        return out;
    }

    /** The shapes of the tap points {@code names} only (in forward order). */
    default List<TapShape> describeTaps(Collection<String> names, long height, long width) {
        Set<String> wanted = new LinkedHashSet<>(names);
        Set<String> unknown = new LinkedHashSet<>(wanted);
        tapPoints().forEach(unknown::remove);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown tap point(s) " + unknown + " for " + name());
        }
        return describeTaps(height, width).stream().filter(t -> wanted.contains(t.name())).toList();
    }

    /** Training mode (BatchNorm batch statistics) or evaluation mode (the default). */
    default void train(boolean on) {
        state().train(on);
    }
}
