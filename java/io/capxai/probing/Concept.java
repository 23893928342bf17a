package io.capxai.probing;

import java.util.List;

/** A concept probed by its captions, e.g. {@code shape} with one caption per digit value. */
public record Concept(String name, List<Caption> captions) {
    public Concept {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("concept name is missing or blank");
        }
        if (captions == null || captions.isEmpty()) {
            throw new IllegalArgumentException("concept '" + name + "' has no captions");
        }
        captions = List.copyOf(captions);
    }
}
