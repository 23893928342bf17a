package io.capxai.audit;

import java.util.ArrayList;
import java.util.List;

/** One surgery variant: which CLIP stages are replaced at once, e.g. only {@code visual.layer4}, or all four. */
public record Variant(String name, List<String> stages) {
    public Variant {
        stages = List.copyOf(stages);
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("variant " + name + " replaces no stage");
        }
    }

    /** Each stage alone, then all stages together (the headline variant, last). */
    public static List<Variant> eachThenAll(List<String> stages) {
        List<Variant> out = new ArrayList<>();
        for (String s : stages) {
            out.add(new Variant(s, List.of(s)));
        }
        if (stages.size() > 1) {
            out.add(new Variant("all", stages));
        }
        return out;
    }

    /** Cumulative prefixes: layer1, layer1+2, ..., all. */
    public static List<Variant> cumulative(List<String> stages) {
        List<Variant> out = new ArrayList<>();
        for (int i = 1; i <= stages.size(); i++) {
            out.add(new Variant(i == stages.size() ? "all" : "up to " + stages.get(i - 1), stages.subList(0, i)));
        }
        return out;
    }
}
