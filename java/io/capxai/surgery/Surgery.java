package io.capxai.surgery;

import io.capxai.kernels.KernelBackend;
import io.capxai.kernels.ResizeMode;
import io.capxai.matching.TapBlock;
import io.capxai.stats.ChannelStats;
import io.capxai.tensors.Tensors;
import org.bytedeco.pytorch.Tensor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Network surgery (SPEC 1.5, eq. 4): CLIP channel j of a tapped stage is replaced by
 * {@code U'(z_k(x)) * sigma_j + mu_j}, where k = {@code sourceRow[j]} is the chosen standalone
 * channel, z_k its standardised map on the same image and U' a resize to the stage's size.
 * Channels with {@code sourceRow[j] < 0} keep CLIP's own map.
 *
 * <p>The result is a set of replace functions for one CLIP forward pass; they are built from the
 * standalone activations of that same batch, so nothing carries over to the next batch.
 */
public final class Surgery {
    private final KernelBackend kernels;
    private final ChannelStats standalone;
    private final ChannelStats clip;
    private final ResizeMode mode;
    /** CLIP tap -> standalone tap -> (dst channels, src channels), int32 on the device. */
    private final Map<String, Map<String, Tensor[]>> pairs = new LinkedHashMap<>();
    private final Map<String, Tensor[]> standaloneAffine = new LinkedHashMap<>();
    private final Map<String, Tensor[]> clipAffine = new LinkedHashMap<>();

    public Surgery(KernelBackend kernels, int[] sourceRow, ChannelStats standalone, ChannelStats clip, ResizeMode mode) {
        int cols = channels(clip.taps());
        if (sourceRow.length != cols) {
            throw new IllegalArgumentException("surgery plan has " + sourceRow.length + " entries, CLIP taps have " + cols + " channels");
        }
        this.kernels = kernels;
        this.standalone = standalone;
        this.clip = clip;
        this.mode = mode;
        int rows = channels(standalone.taps());
        for (TapBlock c : clip.taps()) {
            Map<String, List<int[]>> byTap = new LinkedHashMap<>();
            for (int j = 0; j < c.channels(); j++) {
                int k = sourceRow[c.offset() + j];
                if (k < 0) {
                    continue;
                }
                if (k >= rows) {
                    throw new IllegalArgumentException("surgery plan: CLIP channel " + (c.offset() + j)
                            + " names standalone channel " + k + ", but there are only " + rows);
                }
                TapBlock r = tapOf(standalone.taps(), k);
                byTap.computeIfAbsent(r.name(), x -> new ArrayList<>()).add(new int[] {j, k - r.offset()});
            }
            Map<String, Tensor[]> indexPairs = new LinkedHashMap<>();
            byTap.forEach((tap, list) -> indexPairs.put(tap, new Tensor[] {
                    onDevice(list.stream().mapToInt(p -> p[0]).toArray()),
                    onDevice(list.stream().mapToInt(p -> p[1]).toArray())}));
            pairs.put(c.name(), indexPairs);
        }
    }

    /** The standalone taps a surgery on {@code stages} needs captured. */
    public List<String> standaloneTapsFor(Collection<String> stages) {
        List<String> out = new ArrayList<>();
        for (String stage : stages) {
            for (String tap : pairsOf(stage).keySet()) {
                if (!out.contains(tap)) {
                    out.add(tap);
                }
            }
        }
        return out;
    }

    /**
     * Replace functions for the CLIP {@code stages}, fed by {@code standaloneTaps}: the standalone
     * model's activations on the same images, in the same order.
     */
    public Map<String, UnaryOperator<Tensor>> replacements(Map<String, Tensor> standaloneTaps, Collection<String> stages) {
        Map<String, UnaryOperator<Tensor>> out = new LinkedHashMap<>();
        for (String stage : stages) {
            Map<String, Tensor[]> byTap = pairsOf(stage);
            Tensor[] dstAffine = affine(clipAffine, clip, stage);
            out.put(stage, y -> {
                Tensor edited = y.contiguous().clone();
                byTap.forEach((tap, index) -> {
                    Tensor src = standaloneTaps.get(tap);
                    if (src == null) {
                        throw new IllegalArgumentException("surgery on " + stage + " needs standalone tap '" + tap + "', which was not captured");
                    }
                    if (src.size(0) != y.size(0)) {
                        throw new IllegalArgumentException("surgery on " + stage + ": standalone batch has " + src.size(0)
                                + " images, CLIP batch " + y.size(0));
                    }
                    Tensor[] srcAffine = affine(standaloneAffine, standalone, tap);
                    kernels.surgeryApply(src.contiguous(), srcAffine[0], srcAffine[1], edited, dstAffine[0], dstAffine[1],
                            index[0], index[1], mode, (float) ChannelStats.EPS);
                });
                return edited;
            });
        }
        return out;
    }

    private Map<String, Tensor[]> pairsOf(String stage) {
        Map<String, Tensor[]> p = pairs.get(stage);
        if (p == null) {
            throw new IllegalArgumentException("no CLIP tap named '" + stage + "'; the plan covers " + pairs.keySet());
        }
        return p;
    }

    /** {mean, std} of one tap as float32 tensors on the device, cached. */
    private Tensor[] affine(Map<String, Tensor[]> cache, ChannelStats stats, String tap) {
        return cache.computeIfAbsent(tap, t -> {
            TapBlock b = stats.tap(t);
            float[] mean = new float[b.channels()];
            float[] std = new float[b.channels()];
            for (int i = 0; i < b.channels(); i++) {
                mean[i] = (float) stats.mean()[b.offset() + i];
                std[i] = (float) stats.std()[b.offset() + i];
            }
            return new Tensor[] {
                    Tensors.fromFloats(mean, b.channels()).to(kernels.device(), org.bytedeco.pytorch.global.torch.ScalarType.Float),
                    Tensors.fromFloats(std, b.channels()).to(kernels.device(), org.bytedeco.pytorch.global.torch.ScalarType.Float)};
        });
    }

    private Tensor onDevice(int[] values) {
        return Tensors.fromInts(values, values.length).to(kernels.device(), org.bytedeco.pytorch.global.torch.ScalarType.Int);
    }

    private static TapBlock tapOf(List<TapBlock> taps, int index) {
        for (TapBlock b : taps) {
            if (b.contains(index)) {
                return b;
            }
        }
        throw new IllegalArgumentException("channel " + index + " is in no tap");
    }

    private static int channels(List<TapBlock> taps) {
        return taps.isEmpty() ? 0 : taps.getLast().offset() + taps.getLast().channels();
    }
}
