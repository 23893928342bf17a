package io.capxai.concepts;

import io.capxai.wordnet.Concept;

/** What text stands for a synset when it is embedded (docs/method.md#concept-hierarchy): its gloss (the paper's default) or its lemmas. */
public enum ConceptText {
    /** The definition without usage examples, no prompt template. */
    GLOSS,
    /** The lemma names joined with ", " (e.g. "dog, domestic dog, Canis familiaris"). */
    LEMMAS;

    public String of(Concept c) {
        return switch (this) {
            case GLOSS -> c.gloss();
            case LEMMAS -> String.join(", ", c.lemmas());
        };
    }

    public static ConceptText parse(String s) {
        return switch (s.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "gloss" -> GLOSS;
            case "lemmas" -> LEMMAS;
            default -> throw new IllegalArgumentException("unknown concept text '" + s + "' (expected gloss or lemmas)");
        };
    }
}
