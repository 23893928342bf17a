package io.capxai.training;

import io.capxai.wordnet.Concept;
import io.capxai.wordnet.WordNet;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The WordNet 3.0 synset of each Fashion-MNIST class, and what captions take from it: the class's
 * lemmas ("sneaker", "gym shoe"), the lemmas of its nearer hypernyms ("shoe", "footwear",
 * "garment", "clothing") and its gloss (definition without examples).
 */
public final class FashionConcepts {
    /** Caption names of the ten classes, in Fashion-MNIST's label order (what zero-shot prompts say). */
    public static final List<String> CAPTION_NAMES = List.of(
            "t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle boot");
    /** Synset per class, same order. */
    public static final List<String> SYNSETS = List.of(
            "n03595614", // jersey, T-shirt, tee shirt
            "n04489008", // trouser, pant
            "n04021028", // pullover, slipover
            "n03236735", // dress, frock
            "n03057021", // coat
            "n04133789", // sandal
            "n04197391", // shirt
            "n03472535", // gym shoe, sneaker, tennis shoe
            "n02774152", // bag, handbag, pocketbook, purse
            "n02872752"); // boot
    /** Hypernyms too abstract to say anything about the item. */
    private static final Set<String> TOO_GENERAL = Set.of("covering", "artifact", "artefact", "whole", "object",
            "physical object", "physical entity", "entity", "commodity", "consumer goods", "instrumentality",
            "instrumentation", "unit");
    private static final int HYPERNYM_DEPTH = 3;

    /** What captions of one class may say. */
    public record ClassWords(String captionName, String synsetId, List<String> lemmas, List<String> hypernyms, String gloss) {
    }

    private FashionConcepts() {}

    /** The words of all ten classes, looked up in WordNet. */
    public static List<ClassWords> load() {
        WordNet wn = WordNet.get();
        List<ClassWords> out = new ArrayList<>();
        for (int c = 0; c < SYNSETS.size(); c++) {
            Concept concept = wn.synset(SYNSETS.get(c));
            List<String> hypernyms = new ArrayList<>();
            for (Concept h : concept.allHypernyms()) {
                if (hypernyms.size() == HYPERNYM_DEPTH) {
                    break;
                }
                String lemma = h.lemmas().getFirst();
                if (!TOO_GENERAL.contains(lemma)) {
                    hypernyms.add(lemma);
                }
            }
            String gloss = concept.gloss().replaceFirst("^\\([^)]*\\)\\s*", ""); // drop "(usually in the plural)"
            out.add(new ClassWords(CAPTION_NAMES.get(c), concept.id(), concept.lemmas(), hypernyms, gloss));
        }
        return out;
    }
}
