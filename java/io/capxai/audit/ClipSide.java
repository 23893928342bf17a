package io.capxai.audit;

import io.capxai.taps.TapSet;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What CLIP contributes to an audit independently of the standalone model, computed once and shared
 * by every model audited on the same images (the model itself, its random-weight controls, other
 * models through {@link Audit#forStandalone}): the caption embeddings, CLIP's activations at its
 * taps on the statistics split (on one device; its channel moments are re-accumulated from them
 * inside each model's one-pass matching, a small cost next to a forward pass) and the "before
 * surgery" similarities of the evaluation split.
 */
final class ClipSide {
    private final Audit.Builder b;
    private CaptionProbe probe;
    private final List<Map<String, Tensor>> statistics = new ArrayList<>();
    private float[][] before;

    ClipSide(Audit.Builder b) {
        this.b = b;
    }

    synchronized CaptionProbe probe() {
        if (probe == null) {
            probe = new CaptionProbe(b.clip(), b.tokenizer(), b.captions().texts());
        }
        return probe;
    }

    /**
     * CLIP's captures of statistics batch {@code batch} (whose preprocessed images, on CLIP's device,
     * are {@code images}), computed on first use and kept: callers must not close them.
     */
    synchronized Map<String, Tensor> statisticsCaptures(int batch, Tensor images) {
        if (batch < statistics.size()) {
            return statistics.get(batch);
        }
        if (batch != statistics.size()) {
            throw new IllegalStateException("statistics batches out of order: batch " + batch + " before " + statistics.size());
        }
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            TapSet taps = TapSet.capturing(b.clipTaps());
            b.clip().visual().forward(images, taps);
            statistics.add(taps.captures()); // the TapSet keeps them past the scope
        }
        return statistics.getLast();
    }

    /** The unedited CLIP's similarities {@code [images][captions]} of the evaluation split (row = dataset index), or null before the first audit. */
    synchronized float[][] before() {
        return before;
    }

    /** Keeps the first audit's "before" rows for every later one; returns the kept rows. */
    synchronized float[][] rememberBefore(float[][] rows) {
        if (before == null) {
            before = rows;
        }
        return before;
    }
}
