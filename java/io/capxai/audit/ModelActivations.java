package io.capxai.audit;

import io.capxai.progress.ProgressListener;
import io.capxai.data.Batches;
import io.capxai.matching.ActivationSource;
import io.capxai.models.ImageModel;
import io.capxai.taps.TapSet;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Runs the standalone model and CLIP's image tower on the same batches with capture taps, and
 * hands the captured activations (still libtorch tensors on their device) to a matcher. Each batch
 * is copied to the device of the models' weights first (both models must be on one device).
 * Every batch's tensors are freed as soon as the matcher has seen them.
 */
public final class ModelActivations implements ActivationSource {
    private final ImageModel standalone;
    private final List<String> standaloneTaps;
    private final ImageModel clip;
    private final List<String> clipTaps;
    private final int batchCount;
    private final IntFunction<Tensor> batch;
    private final ProgressListener progress;
    private final String phase;
    private ClipSide shared; // when set, CLIP's captures come from (and stay in) the shared side

    private ModelActivations(ImageModel standalone, List<String> standaloneTaps, ImageModel clip, List<String> clipTaps,
                             int batchCount, IntFunction<Tensor> batch, ProgressListener progress, String phase) {
        this.standalone = standalone;
        this.standaloneTaps = List.copyOf(standaloneTaps);
        this.clip = clip;
        this.clipTaps = List.copyOf(clipTaps);
        this.batchCount = batchCount;
        this.batch = batch;
        this.progress = progress;
        this.phase = phase;
    }

    /** Both models on the batches of a dataset. */
    public static ModelActivations of(ImageModel standalone, List<String> standaloneTaps, ImageModel clip, List<String> clipTaps,
                                      Batches batches, ProgressListener progress, String phase) {
        return new ModelActivations(standalone, standaloneTaps, clip, clipTaps, batches.count(),
                b -> batches.get(b).images(), progress, phase);
    }

    /** The standalone model on the batches of a dataset; CLIP's captures from {@code shared} (run once for all models). */
    static ModelActivations sharingClip(ImageModel standalone, List<String> standaloneTaps, ClipSide shared,
                                        List<String> clipTaps, Batches batches, ProgressListener progress, String phase) {
        ModelActivations source = of(standalone, standaloneTaps, null, clipTaps, batches, progress, phase);
        source.shared = shared;
        return source;
    }

    /** Both models on slices of one preprocessed image tensor [N, 3, H, W]. */
    public static ModelActivations of(ImageModel standalone, List<String> standaloneTaps, ImageModel clip, List<String> clipTaps,
                                      Tensor images, int batchSize, ProgressListener progress) {
        if (images.dim() != 4 || images.size(1) != 3) {
            throw new IllegalArgumentException("input images must be [N, 3, H, W], got " + io.capxai.tensors.Tensors.shapeString(images));
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        long n = images.size(0);
        int count = (int) ((n + batchSize - 1) / batchSize);
        return new ModelActivations(standalone, standaloneTaps, clip, clipTaps, count,
                b -> images.narrow(0, (long) b * batchSize, Math.min(batchSize, n - (long) b * batchSize)), progress, "statistics");
    }

    @Override
    public void forEachBatch(BatchVisitor visitor) {
        Device device = standalone.device();
        progress.started(phase, batchCount);
        for (int b = 0; b < batchCount; b++) {
            Map<String, Tensor> s;
            Map<String, Tensor> c;
            try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
                Tensor images = batch.apply(b).to(device, ScalarType.Float); // the batch goes where the weights are
                TapSet st = TapSet.capturing(standaloneTaps);
                standalone.forward(images, st);
                s = st.captures(); // captures outlive the scope (TapSet keeps them)
                if (shared != null) {
                    c = shared.statisticsCaptures(b, images);
                } else {
                    TapSet ct = TapSet.capturing(clipTaps);
                    clip.forward(images, ct);
                    c = ct.captures();
                }
            }
            try {
                visitor.accept(s, c);
            } finally {
                s.values().forEach(Tensor::close);
                if (shared == null) {
                    c.values().forEach(Tensor::close);
                }
            }
            progress.advanced(phase, b + 1, batchCount);
        }
        progress.finished(phase);
    }
}
