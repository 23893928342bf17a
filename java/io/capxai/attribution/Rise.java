package io.capxai.attribution;

import io.capxai.data.ClipPreprocess;
import io.capxai.tensors.Tensors;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import java.util.Map;
import java.util.Random;

/**
 * RISE (Petsiuk et al.): score many randomly masked copies of the image by cos(masked image,
 * caption); a pixel's relevance is the score-weighted average of the masks that kept it. Masks are
 * random {@code cells x cells} binary grids (each cell kept with probability {@code keep}),
 * upsampled bilinearly and shifted by a random sub-cell offset. No gradients. As in the paper, a
 * mask hides pixels by blacking them out in pixel space (I * M, then CLIP's normalisation), not by
 * zeroing the normalised tensor, which would paint them CLIP's mean grey.
 */
public final class Rise implements Attribution {
    private static final int CHUNK = 32;
    private final ClipScorer scorer;
    private final int masks;
    private final int cells;
    private final double keep;
    private final long seed;

    public Rise(ClipScorer scorer, int masks, int cells, double keep, long seed) {
        if (masks < 1 || cells < 1 || !(keep > 0 && keep < 1)) {
            throw new IllegalArgumentException("RISE needs masks >= 1, cells >= 1 and 0 < keep < 1, got " + masks
                    + ", " + cells + ", " + keep);
        }
        this.scorer = scorer;
        this.masks = masks;
        this.cells = cells;
        this.keep = keep;
        this.seed = seed;
    }

    /** 8x8 cells kept with p = 0.5 (the paper's choices for 224 px) and 500 masks, fewer than its 4,000 to suit a CPU. */
    public static Rise defaults(ClipScorer scorer) {
        return new Rise(scorer, 500, 8, 0.5, 0);
    }

    @Override
    public String name() {
        return "rise";
    }

    @Override
    public AttributionMap explain(Tensor image, String query) {
        scorer.checkImage(image);
        Tensor caption = scorer.textEmbedding(scorer.tokens(query, image));
        int r = scorer.resolution();
        int cell = (r + cells - 1) / cells;
        int big = (cells + 1) * cell;
        torch.manual_seed(seed);
        Random shifts = new Random(seed);
        Tensor sum = torch.zeros(r, r);
        try (NoGradGuard noGrad = new NoGradGuard()) {
            for (int done = 0; done < masks; done += CHUNK) {
                int n = Math.min(CHUNK, masks - done);
                try (PointerScope scope = new PointerScope()) {
                    Tensor grids = torch.rand(n, 1, cells, cells).lt(new Scalar(keep)).to(torch.ScalarType.Float);
                    Tensor up = torch.upsample_bilinear2d(grids, new long[] {big, big}, false);
                    Tensor[] crops = new Tensor[n];
                    for (int i = 0; i < n; i++) {
                        int dy = shifts.nextInt(cell);
                        int dx = shifts.nextInt(cell);
                        crops[i] = up.select(0, i).narrow(1, dy, r).narrow(2, dx, r);
                    }
                    Tensor batch = torch.stack(new org.bytedeco.pytorch.TensorVector(crops)).to(image.device(),
                            torch.ScalarType.Float);                                               // [n, 1, R, R]
                    Tensor scores = ClipScorer.normalise(scorer.clip().encodeImage(masked(image, batch))).matmul(caption.t());
                    Tensor weighted = batch.cpu().mul(scores.cpu().reshape(n, 1, 1, 1)).sum(new long[] {0, 1}, false,
                            new org.bytedeco.pytorch.ScalarTypeOptional());
                    sum.add_(weighted);
                }
            }
        }
        Tensor relevance = sum.div(new Scalar(masks * keep));
        return new AttributionMap(name(), Maps.minMax(Tensors.toFloats(relevance)), r, r, null,
                Map.of("masks", Integer.toString(masks), "cells", Integer.toString(cells), "keep", Double.toString(keep),
                        "seed", Long.toString(seed), "model", scorer.modelName()));
    }

    /**
     * {@code image} (CLIP-normalised, [1, 3, R, R]) with each of the {@code masks} ([n, 1, R, R], 1 =
     * keep) applied in pixel space: {@code black + (image - black) * mask}, where black is the
     * normalised value of a zero pixel, {@code -mean / std} per channel.
     */
    static Tensor masked(Tensor image, Tensor masks) {
        float[] black = new float[3];
        for (int c = 0; c < 3; c++) {
            black[c] = -ClipPreprocess.CLIP_MEAN[c] / ClipPreprocess.CLIP_STD[c];
        }
        Tensor b = Tensors.fromFloats(black, 1, 3, 1, 1).to(image.device(), torch.ScalarType.Float);
        return image.sub(b).mul(masks).add(b);
    }
}
