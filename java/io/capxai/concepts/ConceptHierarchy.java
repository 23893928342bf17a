package io.capxai.concepts;

import io.capxai.wordnet.Concept;
import io.capxai.wordnet.WordNet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The concept hierarchy T of ConVis (docs/method.md#concept-hierarchy): WordNet noun synsets closed under hypernyms up to
 * {@code entity.n.01}, as a graph from hypernym to hyponym. Synsets are indexed 0..size-1 in id
 * order, so the index is stable for a given vocabulary and a row of a rank matrix is a synset.
 *
 * <p>A query concept stands for its subtree in T: itself and every descendant that is in T.
 */
public final class ConceptHierarchy {
    /** The default vocabulary, a resource file of physical-object words. */
    public static final String DEFAULT_VOCABULARY = "/io/capxai/concepts/default-vocabulary.txt";

    private final List<Concept> concepts;
    private final Map<Concept, Integer> index;
    private final int[][] children;
    private final String description;

    private ConceptHierarchy(Set<Concept> synsets, String description) {
        this.concepts = synsets.stream().sorted(Comparator.comparing(Concept::id)).toList();
        this.index = new HashMap<>();
        for (int i = 0; i < concepts.size(); i++) {
            index.put(concepts.get(i), i);
        }
        List<List<Integer>> kids = new ArrayList<>();
        for (int i = 0; i < concepts.size(); i++) {
            kids.add(new ArrayList<>());
        }
        for (int i = 0; i < concepts.size(); i++) {
            for (Concept parent : concepts.get(i).hypernyms()) {
                Integer p = index.get(parent);
                if (p != null) {
                    kids.get(p).add(i);
                }
            }
        }
        this.children = kids.stream().map(k -> k.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
        this.description = description;
    }

    /**
     * T from a vocabulary: every noun sense of every word, plus every hypernym on any path to the
     * root. Every word must be a WordNet noun (the exception lists those that are not).
     */
    public static ConceptHierarchy fromWords(WordNet wordNet, List<String> words) {
        if (words.isEmpty()) {
            throw new IllegalArgumentException("the concept vocabulary is empty");
        }
        Set<Concept> synsets = new LinkedHashSet<>();
        List<String> unknown = new ArrayList<>();
        for (String word : words) {
            List<Concept> senses = wordNet.nounSenses(word);
            if (senses.isEmpty()) {
                unknown.add(word);
            }
            for (Concept sense : senses) {
                synsets.add(sense);
                synsets.addAll(sense.allHypernyms());
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("not WordNet 3.0 nouns: " + unknown);
        }
        return new ConceptHierarchy(synsets, "vocabulary of " + words.size() + " words");
    }

    /** T = every noun synset of WordNet 3.0 (82,115). */
    public static ConceptHierarchy allNouns(WordNet wordNet) {
        return new ConceptHierarchy(new LinkedHashSet<>(wordNet.allNouns()), "all WordNet 3.0 nouns");
    }

    /** T from the default vocabulary. */
    public static ConceptHierarchy defaultHierarchy(WordNet wordNet) {
        return fromWords(wordNet, defaultVocabulary());
    }

    /** The words of the default vocabulary resource. */
    public static List<String> defaultVocabulary() {
        try (InputStream in = ConceptHierarchy.class.getResourceAsStream(DEFAULT_VOCABULARY)) {
            if (in == null) {
                throw new IllegalStateException("resource " + DEFAULT_VOCABULARY + " is missing from the classpath");
            }
            return parseVocabulary(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DEFAULT_VOCABULARY, e);
        }
    }

    /** A vocabulary file: one word per line; blank lines and lines starting with '#' are skipped. */
    public static List<String> readVocabulary(Path file) {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parseVocabulary(r);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("vocabulary file not found: " + file, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the vocabulary file " + file, e);
        }
    }

    private static List<String> parseVocabulary(BufferedReader r) throws IOException {
        List<String> words = new ArrayList<>();
        for (String line; (line = r.readLine()) != null; ) {
            String w = line.strip();
            if (!w.isEmpty() && !w.startsWith("#")) {
                words.add(w);
            }
        }
        return words;
    }

    public int size() {
        return concepts.size();
    }

    /** The synset at {@code i} (id order). */
    public Concept concept(int i) {
        return concepts.get(i);
    }

    public List<Concept> concepts() {
        return concepts;
    }

    /** Index of {@code c} in T, or -1. */
    public int indexOf(Concept c) {
        return index.getOrDefault(c, -1);
    }

    public boolean contains(Concept c) {
        return index.containsKey(c);
    }

    /** Hyponyms of synset {@code i} that are in T. */
    public int[] children(int i) {
        return children[i].clone();
    }

    /** Indices of {@code c} and all its descendants in T, ascending. */
    public int[] subtree(Concept c) {
        int root = require(c);
        boolean[] seen = new boolean[size()];
        Deque<Integer> queue = new ArrayDeque<>(List.of(root));
        seen[root] = true;
        while (!queue.isEmpty()) {
            for (int k : children[queue.removeFirst()]) {
                if (!seen[k]) {
                    seen[k] = true;
                    queue.addLast(k);
                }
            }
        }
        return indicesOf(seen);
    }

    /** The leaves (no hyponym in T) of the subtree of {@code c}, ascending. */
    public int[] leaves(Concept c) {
        return Arrays.stream(subtree(c)).filter(i -> children[i].length == 0).toArray();
    }

    /** Where T came from, e.g. "vocabulary of 108 words". */
    public String description() {
        return description;
    }

    /** SHA-256 of the synset ids in index order: the key of everything cached per hierarchy. */
    public String checksum() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Concept c : concepts) {
                md.update((c.id() + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Index of {@code c} in T; a clear error when it is not there. */
    public int require(Concept c) {
        Integer i = index.get(c);
        if (i == null) {
            throw new IllegalArgumentException("concept " + c + " is not in the hierarchy (" + description + ", "
                    + size() + " synsets); add one of its words to the vocabulary");
        }
        return i;
    }

    private static int[] indicesOf(boolean[] mask) {
        int n = 0;
        for (boolean b : mask) {
            n += b ? 1 : 0;
        }
        int[] out = new int[n];
        for (int i = 0, k = 0; i < mask.length; i++) {
            if (mask[i]) {
                out[k++] = i;
            }
        }
        return out;
    }
}
