package io.capxai.surgery;

import io.capxai.kernels.KernelBackend;
import io.capxai.kernels.ResizeMode;
import io.capxai.matching.TapBlock;
import io.capxai.matching.ChannelStats;
import io.capxai.tensors.Tensors;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Network surgery (docs/method.md#surgery): CLIP channel j of a tapped stage is replaced by
 * {@code U'(z_k(x)) * sigma_j + mu_j}, where k = {@code sources[j][0]} is the chosen standalone
 * channel, z_k its standardised map on the same image and U' a resize to the stage's size.
 * Channels with no source keep CLIP's own map. With k sources per channel (top-k selection) the
 * channel gets the mean of the k replaced maps, i.e. {@code U'(mean z) * sigma_j + mu_j}: every
 * replaced channel must then have the same number of sources.
 *
 * <p>The result is a set of replace functions for one CLIP forward pass; they are built from the
 * standalone activations of that same batch, so nothing carries over to the next batch.
 */
public final class Surgery {
    private final KernelBackend kernels;
    private final ChannelStats standalone;
    private final ChannelStats clip;
    private final ResizeMode mode;
    /** Per source rank q: CLIP tap -> standalone tap -> (dst channels, src channels), int32 on the device. */
    private final List<Map<String, Map<String, Tensor[]>>> pairs = new ArrayList<>();
    private final Map<String, Tensor[]> standaloneAffine = new LinkedHashMap<>();
    private final Map<String, Tensor[]> clipAffine = new LinkedHashMap<>();

    /** {@code sources[j]}: the standalone rows that replace CLIP column j (empty: keep CLIP's map). */
    public Surgery(KernelBackend kernels, int[][] sources, ChannelStats standalone, ChannelStats clip, ResizeMode mode) {
        int cols = channels(clip.taps());
        if (sources.length != cols) {
            throw new IllegalArgumentException("surgery plan has " + sources.length + " entries, CLIP taps have " + cols + " channels");
        }
        this.kernels = kernels;
        this.standalone = standalone;
        this.clip = clip;
        this.mode = mode;
        int rows = channels(standalone.taps());
        int k = 0;
        for (int[] s : sources) {
            if (s.length > 0 && k > 0 && s.length != k) {
                throw new IllegalArgumentException("surgery plan mixes " + k + " and " + s.length
                        + " sources per channel; every replaced channel needs the same number");
            }
            k = Math.max(k, s.length);
        }
        for (int q = 0; q < k; q++) {
            Map<String, Map<String, Tensor[]>> rank = new LinkedHashMap<>();
            for (TapBlock c : clip.taps()) {
                Map<String, List<int[]>> byTap = new LinkedHashMap<>();
                for (int j = 0; j < c.channels(); j++) {
                    int[] s = sources[c.offset() + j];
                    if (s.length == 0) {
                        continue;
                    }
                    if (s[q] < 0 || s[q] >= rows) {
                        throw new IllegalArgumentException("surgery plan: CLIP channel " + (c.offset() + j)
                                + " names standalone channel " + s[q] + ", but there are only " + rows);
                    }
                    TapBlock r = tapOf(standalone.taps(), s[q]);
                    byTap.computeIfAbsent(r.name(), x -> new ArrayList<>()).add(new int[] {j, s[q] - r.offset()});
                }
                Map<String, Tensor[]> indexPairs = new LinkedHashMap<>();
                byTap.forEach((tap, list) -> indexPairs.put(tap, new Tensor[] {
                        onDevice(list.stream().mapToInt(p -> p[0]).toArray()),
                        onDevice(list.stream().mapToInt(p -> p[1]).toArray())}));
                rank.put(c.name(), indexPairs);
            }
            pairs.add(rank);
        }
        // Made here, not lazily: a lazy cache would be created inside a caller's per-batch PointerScope and freed with it.
        standalone.taps().forEach(t -> standaloneAffine.put(t.name(), affine(standalone, t.name())));
        clip.taps().forEach(t -> clipAffine.put(t.name(), affine(clip, t.name())));
    }

    /** One source per CLIP column ({@code sourceRow[j] < 0}: keep CLIP's map). */
    public static Surgery ofSingleSources(KernelBackend kernels, int[] sourceRow, ChannelStats standalone, ChannelStats clip,
                                          ResizeMode mode) {
        int[][] sources = new int[sourceRow.length][];
        for (int j = 0; j < sourceRow.length; j++) {
            sources[j] = sourceRow[j] < 0 ? new int[0] : new int[] {sourceRow[j]};
        }
        return new Surgery(kernels, sources, standalone, clip, mode);
    }

    /** The standalone taps a surgery on {@code stages} needs captured. */
    public List<String> standaloneTapsFor(Collection<String> stages) {
        List<String> out = new ArrayList<>();
        for (String stage : stages) {
            checkStage(stage);
            for (Map<String, Map<String, Tensor[]>> rank : pairs) {
                for (String tap : rank.get(stage).keySet()) {
                    if (!out.contains(tap)) {
                        out.add(tap);
                    }
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
            checkStage(stage);
            Tensor[] dstAffine = clipAffine.get(stage);
            out.put(stage, y -> {
                Tensor sum = null;
                for (Map<String, Map<String, Tensor[]>> rank : pairs) {
                    Tensor edited = y.contiguous().clone();
                    rank.get(stage).forEach((tap, index) -> {
                        Tensor src = standaloneTaps.get(tap);
                        if (src == null) {
                            throw new IllegalArgumentException("surgery on " + stage + " needs standalone tap '" + tap + "', which was not captured");
                        }
                        if (src.size(0) != y.size(0)) {
                            throw new IllegalArgumentException("surgery on " + stage + ": standalone batch has " + src.size(0)
                                    + " images, CLIP batch " + y.size(0));
                        }
                        Tensor[] srcAffine = standaloneAffine.get(tap);
                        kernels.surgeryApply(src.contiguous(), srcAffine[0], srcAffine[1], edited, dstAffine[0], dstAffine[1],
                                index[0], index[1], mode, (float) ChannelStats.EPS);
                    });
                    sum = sum == null ? edited : sum.add_(edited);
                }
                // Unreplaced channels are y in every rank, so the mean leaves them unchanged.
                return sum == null ? y : pairs.size() == 1 ? sum : sum.div_(new Scalar((double) pairs.size()));
            });
        }
        return out;
    }

    private void checkStage(String stage) {
        if (clip.taps().stream().noneMatch(t -> t.name().equals(stage))) {
            throw new IllegalArgumentException("no CLIP tap named '" + stage + "'; the plan covers "
                    + clip.taps().stream().map(TapBlock::name).toList());
        }
    }

    /** {mean, std} of one tap as float32 tensors on the device. */
    private Tensor[] affine(ChannelStats stats, String tap) {
        TapBlock b = stats.tap(tap);
        float[] mean = new float[b.channels()];
        float[] std = new float[b.channels()];
        for (int i = 0; i < b.channels(); i++) {
            mean[i] = (float) stats.mean()[b.offset() + i];
            std[i] = (float) stats.std()[b.offset() + i];
        }
        return new Tensor[] {onDevice(mean), onDevice(std)};
    }

    private Tensor onDevice(float[] values) {
        return Tensors.fromFloats(values, values.length).to(kernels.device(), ScalarType.Float);
    }

    private Tensor onDevice(int[] values) {
        return Tensors.fromInts(values, values.length).to(kernels.device(), ScalarType.Int);
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
