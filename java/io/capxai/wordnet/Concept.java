package io.capxai.wordnet;

import net.sf.extjwnl.JWNLException;
import net.sf.extjwnl.data.PointerTarget;
import net.sf.extjwnl.data.PointerType;
import net.sf.extjwnl.data.Synset;
import net.sf.extjwnl.data.Word;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One WordNet synset: its id ({@code n02084071}, ImageNet's form), NLTK-style name
 * ({@code dog.n.01}), lemmas, gloss, and its place in the hypernym graph. Instance hypernyms count
 * as hypernyms (as NLTK's {@code hypernym_paths} does), so every noun reaches {@code entity.n.01}.
 */
public final class Concept {
    private final WordNet wordNet;
    private final Synset synset;

    Concept(WordNet wordNet, Synset synset) {
        this.wordNet = wordNet;
        this.synset = synset;
    }

    /** POS letter and 8-digit offset, e.g. {@code n02084071}. */
    public String id() {
        return synset.getPOS().getKey() + String.format("%08d", synset.getOffset());
    }

    /** NLTK's name: first lemma (underscores), POS letter, sense number, e.g. {@code dog.n.01}. */
    public String nltkName() {
        String lemma = synset.getWords().getFirst().getLemma();
        return lemma.replace(' ', '_') + "." + synset.getPOS().getKey() + "."
                + String.format("%02d", wordNet.senseNumber(lemma, synset));
    }

    /** The synonyms of this synset as written in WordNet (spaces, not underscores), e.g. dog, domestic dog, Canis familiaris. */
    public List<String> lemmas() {
        return synset.getWords().stream().map(Word::getLemma).toList();
    }

    /** The definition without usage examples (WordNet appends those after {@code ; "}). */
    public String gloss() {
        String g = synset.getGloss();
        int examples = g.indexOf("; \"");
        return (examples >= 0 ? g.substring(0, examples) : g).strip();
    }

    /** The full WordNet gloss, usage examples included. */
    public String fullGloss() {
        return synset.getGloss();
    }

    /** Direct hypernyms (and instance hypernyms). */
    public List<Concept> hypernyms() {
        List<Concept> out = new ArrayList<>(related(PointerType.HYPERNYM));
        out.addAll(related(PointerType.INSTANCE_HYPERNYM));
        return out;
    }

    /** Direct hyponyms (and instances). */
    public List<Concept> hyponyms() {
        List<Concept> out = new ArrayList<>(related(PointerType.HYPONYM));
        out.addAll(related(PointerType.INSTANCES_HYPONYM));
        return out;
    }

    /** Every hyponym below this synset (transitively), each once, breadth first; this synset excluded. */
    public List<Concept> allHyponyms() {
        Set<Concept> seen = new LinkedHashSet<>();
        Deque<Concept> queue = new ArrayDeque<>(hyponyms());
        while (!queue.isEmpty()) {
            Concept c = queue.removeFirst();
            if (seen.add(c)) {
                queue.addAll(c.hyponyms());
            }
        }
        return new ArrayList<>(seen);
    }

    /**
     * Every path from the root ({@code entity.n.01} for nouns) down to this synset, each starting at
     * the root and ending with this synset, as NLTK's {@code hypernym_paths()}.
     */
    public List<List<Concept>> hypernymPaths() {
        List<Concept> parents = hypernyms();
        if (parents.isEmpty()) {
            return List.of(List.of(this));
        }
        List<List<Concept>> paths = new ArrayList<>();
        for (Concept parent : parents) {
            for (List<Concept> path : parent.hypernymPaths()) {
                List<Concept> extended = new ArrayList<>(path);
                extended.add(this);
                paths.add(Collections.unmodifiableList(extended));
            }
        }
        return paths;
    }

    /** Every hypernym on any path to the root, nearest first, each once (this synset excluded). */
    public List<Concept> allHypernyms() {
        Set<Concept> seen = new LinkedHashSet<>();
        Deque<Concept> queue = new ArrayDeque<>(hypernyms());
        while (!queue.isEmpty()) {
            Concept c = queue.removeFirst();
            if (seen.add(c)) {
                queue.addAll(c.hypernyms());
            }
        }
        return new ArrayList<>(seen);
    }

    private List<Concept> related(PointerType type) {
        try {
            List<Concept> out = new ArrayList<>();
            for (PointerTarget t : synset.getTargets(type)) {
                out.add(new Concept(wordNet, t.getSynset()));
            }
            return out;
        } catch (JWNLException e) {
            throw new WordNetException("cannot read the " + type.getLabel() + " pointers of " + id() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Concept c && c.synset.getPOS() == synset.getPOS() && c.synset.getOffset() == synset.getOffset();
    }

    @Override
    public int hashCode() {
        return Long.hashCode(synset.getOffset()) * 31 + synset.getPOS().hashCode();
    }

    @Override
    public String toString() {
        return nltkName() + " (" + id() + ")";
    }
}
