package io.capxai.probing;

import java.util.List;

/**
 * The caption argmax of every image for one kind of similarity ({@code before} surgery,
 * {@code after} surgery, or {@code influence} = after - before), and the hits per concept.
 *
 * @param topCaption  per image, the caption column with the highest value (ties: lowest column)
 * @param dominant    the concept with the largest total share (ties: the first concept)
 */
public record Outcome(String kind, int[] topCaption, List<ConceptHits> concepts, String dominant) {
    public Outcome {
        concepts = List.copyOf(concepts);
    }

    public ConceptHits hits(String concept) {
        for (ConceptHits h : concepts) {
            if (h.concept().equals(concept)) {
                return h;
            }
        }
        throw new IllegalArgumentException("no concept '" + concept + "' in this outcome");
    }
}
