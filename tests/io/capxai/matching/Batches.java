package io.capxai.matching;

import org.bytedeco.pytorch.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/** Test helper: an ActivationSource that cuts whole-split tap tensors into batches. */
final class Batches {
    private Batches() {}

    static ActivationSource of(Map<String, Tensor> standalone, Map<String, Tensor> clip, int batchSize) {
        long images = standalone.values().iterator().next().size(0);
        return visitor -> {
            for (long start = 0; start < images; start += batchSize) {
                long n = Math.min(batchSize, images - start);
                visitor.accept(slice(standalone, start, n), slice(clip, start, n));
            }
        };
    }

    /** The images {@code indices} (in that order) of whole-split taps, in batches. */
    static ActivationSource of(Map<String, Tensor> standalone, Map<String, Tensor> clip, int batchSize, int[] indices) {
        return of(pick(standalone, indices), pick(clip, indices), batchSize);
    }

    private static Map<String, Tensor> pick(Map<String, Tensor> taps, int[] indices) {
        long[] idx = java.util.Arrays.stream(indices).asLongStream().toArray();
        Tensor index = io.capxai.tensors.Tensors.fromLongs(idx, idx.length);
        Map<String, Tensor> out = new LinkedHashMap<>();
        taps.forEach((k, v) -> out.put(k, v.index_select(0, index).contiguous()));
        return out;
    }

    private static Map<String, Tensor> slice(Map<String, Tensor> taps, long start, long n) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        taps.forEach((k, v) -> out.put(k, v.narrow(0, start, n).contiguous()));
        return out;
    }
}
