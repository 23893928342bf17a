package io.capxai.audit;

import io.capxai.data.Batch;
import io.capxai.data.Batches;
import io.capxai.matching.ActivationSource;
import io.capxai.models.ImageModel;
import io.capxai.taps.TapSet;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

import java.util.List;
import java.util.Map;

/**
 * Runs the standalone model and CLIP's image tower on the same batches with capture taps, and
 * hands the captured activations (still libtorch tensors on their device) to a matcher.
 * Every batch's tensors are freed as soon as the matcher has seen them.
 */
final class ModelActivations implements ActivationSource {
    private final ImageModel standalone;
    private final List<String> standaloneTaps;
    private final ImageModel clip;
    private final List<String> clipTaps;
    private final Batches batches;
    private final ProgressListener progress;
    private final String phase;

    ModelActivations(ImageModel standalone, List<String> standaloneTaps, ImageModel clip, List<String> clipTaps,
                     Batches batches, ProgressListener progress, String phase) {
        this.standalone = standalone;
        this.standaloneTaps = standaloneTaps;
        this.clip = clip;
        this.clipTaps = clipTaps;
        this.batches = batches;
        this.progress = progress;
        this.phase = phase;
    }

    @Override
    public void forEachBatch(BatchVisitor visitor) {
        int done = 0;
        progress.started(phase, batches.count());
        for (Batch batch : batches) {
            Map<String, Tensor> s;
            Map<String, Tensor> c;
            try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
                TapSet st = TapSet.capturing(standaloneTaps);
                standalone.forward(batch.images(), st);
                TapSet ct = TapSet.capturing(clipTaps);
                clip.forward(batch.images(), ct);
                s = st.captures(); // captures outlive the scope (TapSet keeps them)
                c = ct.captures();
            }
            try {
                visitor.accept(s, c);
            } finally {
                s.values().forEach(Tensor::close);
                c.values().forEach(Tensor::close);
                batch.images().close();
            }
            progress.advanced(phase, ++done, batches.count());
        }
        progress.finished(phase);
    }
}
