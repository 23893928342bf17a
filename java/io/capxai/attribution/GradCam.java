package io.capxai.attribution;

import io.capxai.tensors.Autograd;
import io.capxai.models.ClipImageTower;
import io.capxai.models.ModifiedResNet;
import io.capxai.taps.TapSet;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;

import java.util.Map;

/**
 * Grad-CAM (Selvaraju et al.) of cos(image, caption) at the output of one block of the image tower
 * (by default the block M2IB cuts at): channel weights = gradient averaged over positions, map =
 * ReLU(sum over channels of weight * activation). For a ViT the positions are the patch tokens
 * (the class token is dropped), laid out on the patch grid.
 */
public final class GradCam implements Attribution {
    private final ClipScorer scorer;
    private final int block;

    /** {@code block} < 0: M2IB's default image layer for this tower. */
    public GradCam(ClipScorer scorer, int block) {
        this.scorer = scorer;
        ClipImageTower visual = scorer.clip().visual();
        int depth = visual.blockCount();
        this.block = block >= 0 ? block : M2ibOptions.defaultLayer(depth, visual instanceof ModifiedResNet);
        if (this.block >= depth) {
            throw new IllegalArgumentException("Grad-CAM: block " + block + " out of range 0.." + (depth - 1));
        }
    }

    @Override
    public String name() {
        return "gradcam";
    }

    @Override
    public AttributionMap explain(Tensor image, String query) {
        scorer.checkImage(image);
        Tensor caption = scorer.textEmbedding(scorer.tokens(query, image));
        String cut = scorer.clip().visual().blockName(block);
        // CLIP is frozen and the image needs no gradient: make the block output a leaf that does.
        Tensor[] activation = new Tensor[1];
        TapSet taps = TapSet.none().replace(cut, x -> {
            activation[0] = TapSet.keep(x.detach().requires_grad_(true));
            return activation[0];
        });
        Autograd.backward(ClipScorer.cosine(scorer.clip().encodeImage(image, taps), caption).sum());
        Tensor a = activation[0].detach();
        Tensor g = activation[0].grad();
        ScalarTypeOptional same = new ScalarTypeOptional();
        Tensor grid;
        if (a.dim() == 3) { // ViT tokens [1, 1 + g*g, width]: patch tokens only
            long patches = a.size(1) - 1;
            long side = Math.round(Math.sqrt(patches));
            Tensor ap = a.narrow(1, 1, patches);
            Tensor weights = g.narrow(1, 1, patches).mean(new long[] {1}, true, same);      // [1, 1, width]
            grid = ap.mul(weights).sum(new long[] {2}, false, same).relu().reshape(side, side);
        } else {            // ResNet stage [1, C, h, w]
            Tensor weights = g.mean(new long[] {2, 3}, true, same);                          // [1, C, 1, 1]
            grid = a.mul(weights).sum(new long[] {1}, false, same).relu().select(0, 0);
        }
        int r = scorer.resolution();
        return new AttributionMap(name(), Maps.minMax(Maps.resize(grid, r)), r, r, null,
                Map.of("block", cut, "model", scorer.modelName()));
    }
}
