package io.capxai.matching;

import io.capxai.tensors.Tensors;
import io.capxai.weights.Safetensors;
import io.capxai.weights.StateDict;
import org.bytedeco.pytorch.Tensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merging partials and storing them as safetensors files: float64 tensors {@code s/TAP/count|mean|m2},
 * {@code c/TAP/...} (moments) and {@code x/ROW|COL/x|row_sum|col_sum|row_shift|col_shift} (cross-moments),
 * with the taps, shards, image count and provenance ({@code provenance.KEY}) as metadata.
 */
public final class Partials {
    /** Metadata key that marks a partial file, with its format version. */
    public static final String FORMAT = "capxai.partial";
    /** The engine that wrote a partial; partials of different engine versions are not merged. */
    public static final String ENGINE = "capxai 0.1.0";
    private static final String PROVENANCE = "provenance.";

    private Partials() {}

    /** The merge of all {@code partials}, refusing incompatible ones and shards seen twice (the message says which). */
    public static MatchPartial merge(List<MatchPartial> partials) {
        if (partials.isEmpty()) {
            throw new IllegalArgumentException("nothing to merge: no partial given");
        }
        MatchPartial out = partials.getFirst();
        for (int k = 1; k < partials.size(); k++) {
            out = out.merge(partials.get(k));
        }
        return out;
    }

    public static MatchPartial merge(MatchPartial... partials) {
        return merge(List.of(partials));
    }

    public static void write(Path file, MatchPartial p) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        putMoments(tensors, "s/", p.rows(), p.rowMoments());
        putMoments(tensors, "c/", p.cols(), p.colMoments());
        for (CrossMoments x : p.pairs()) {
            String k = "x/" + x.row() + "|" + x.col() + "/";
            tensors.put(k + "x", Tensors.fromDoubles(x.x(), x.rows(), x.cols()));
            tensors.put(k + "row_sum", Tensors.fromDoubles(x.rowSum(), x.rows()));
            tensors.put(k + "col_sum", Tensors.fromDoubles(x.colSum(), x.cols()));
            tensors.put(k + "row_shift", Tensors.fromDoubles(x.rowShift(), x.rows()));
            tensors.put(k + "col_shift", Tensors.fromDoubles(x.colShift(), x.cols()));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(FORMAT, "1");
        meta.put("images", Long.toString(p.images()));
        meta.put("shards", String.join(",", p.shards().stream().map(ImageShard::toString).toList()));
        meta.put("rows", layout(p.rows()));
        meta.put("cols", layout(p.cols()));
        p.provenance().forEach((k, v) -> meta.put(PROVENANCE + k, v));
        Safetensors.write(file, tensors, meta);
    }

    public static MatchPartial read(Path file) {
        StateDict sd = Safetensors.read(file);
        Map<String, String> meta = sd.metadata();
        if (!"1".equals(meta.get(FORMAT))) {
            throw new IllegalArgumentException(file + " is not a capxai partial (metadata " + FORMAT + " is "
                    + meta.get(FORMAT) + "; write one with `capxai match --shard I/N --partial FILE`)");
        }
        try {
            long images = Long.parseLong(meta.get("images"));
            List<ImageShard> shards = Arrays.stream(meta.get("shards").split(",")).map(ImageShard::parse).toList();
            List<TapBlock> rows = parseLayout(meta.get("rows"));
            List<TapBlock> cols = parseLayout(meta.get("cols"));
            Map<String, String> provenance = new LinkedHashMap<>();
            meta.forEach((k, v) -> {
                if (k.startsWith(PROVENANCE)) {
                    provenance.put(k.substring(PROVENANCE.length()), v);
                }
            });
            List<CrossMoments> pairs = new ArrayList<>();
            for (TapBlock r : rows) {
                for (TapBlock c : cols) {
                    String k = "x/" + r.name() + "|" + c.name() + "/";
                    double area = (double) Math.max(r.height(), c.height()) * Math.max(r.width(), c.width());
                    pairs.add(new CrossMoments(r.name(), c.name(), 0, r.channels(), c.channels(), images, area,
                            doubles(sd, k + "row_shift", r.channels()), doubles(sd, k + "col_shift", c.channels()),
                            doubles(sd, k + "x", r.channels(), c.channels()), doubles(sd, k + "row_sum", r.channels()),
                            doubles(sd, k + "col_sum", c.channels())));
                }
            }
            return new MatchPartial(provenance, shards, images, rows, cols, moments(sd, "s/", rows), moments(sd, "c/", cols), pairs);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": damaged partial: " + e.getMessage(), e);
        }
    }

    private static void putMoments(Map<String, Tensor> out, String prefix, List<TapBlock> taps, List<Moments> moments) {
        for (int t = 0; t < taps.size(); t++) {
            Moments m = moments.get(t);
            String k = prefix + taps.get(t).name() + "/";
            out.put(k + "count", Tensors.fromDoubles(m.count(), m.channels()));
            out.put(k + "mean", Tensors.fromDoubles(m.mean(), m.channels()));
            out.put(k + "m2", Tensors.fromDoubles(m.m2(), m.channels()));
        }
    }

    private static List<Moments> moments(StateDict sd, String prefix, List<TapBlock> taps) {
        return taps.stream().map(t -> {
            String k = prefix + t.name() + "/";
            return new Moments(doubles(sd, k + "count", t.channels()), doubles(sd, k + "mean", t.channels()),
                    doubles(sd, k + "m2", t.channels()));
        }).toList();
    }

    private static double[] doubles(StateDict sd, String key, long... shape) {
        return Tensors.toDoubles(sd.get(key, shape));
    }

    /** {@code name:channels:height:width;...} in axis order. */
    private static String layout(List<TapBlock> taps) {
        return String.join(";", taps.stream().map(t -> t.name() + ":" + t.channels() + ":" + t.height() + ":" + t.width()).toList());
    }

    private static List<TapBlock> parseLayout(String text) {
        List<TapBlock> out = new ArrayList<>();
        int offset = 0;
        for (String item : text.split(";")) {
            String[] f = item.split(":");
            if (f.length != 4) {
                throw new IllegalArgumentException("bad tap entry '" + item + "' (expected name:channels:height:width)");
            }
            int channels = Integer.parseInt(f[1]);
            out.add(new TapBlock(f[0], offset, channels, Integer.parseInt(f[2]), Integer.parseInt(f[3])));
            offset += channels;
        }
        return out;
    }
}
