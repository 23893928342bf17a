package io.capxai.concepts;

import io.capxai.wordnet.Concept;
import io.capxai.wordnet.WordNet;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class ConceptHierarchyTest {
    private final WordNet wn = WordNet.get();

    @Test
    void resolvesWordOffsetAndNltkNameToTheSameSynset() {
        Concept byWord = wn.resolve("dog");
        assertEquals("n02084071", byWord.id());
        assertEquals(byWord, wn.resolve("n02084071"));
        assertEquals(byWord, wn.resolve("dog.n.01"));
        assertEquals("bird.n.01", wn.resolve("bird.n.01").nltkName());
        assertEquals("n01503061", wn.resolve("bird.n.01").id());
    }

    @Test
    void vocabularyIsClosedUnderHypernymsUpToEntity() {
        ConceptHierarchy t = ConceptHierarchy.fromWords(wn, List.of("sandal", "dress"));
        Concept entity = wn.resolve("entity.n.01");
        assertTrue(t.contains(entity));
        for (Concept c : t.concepts()) {
            for (Concept h : c.hypernyms()) {
                assertTrue(t.contains(h), h + " (hypernym of " + c + ") missing");
            }
        }
        // every noun sense of every word is in T
        for (String w : List.of("sandal", "dress")) {
            for (Concept sense : wn.nounSenses(w)) {
                assertTrue(t.contains(sense));
            }
        }
        // entity's subtree is all of T; footwear covers the sandal but not the dress
        assertEquals(t.size(), t.subtree(entity).length);
        Set<Integer> footwear = set(t.subtree(wn.resolve("footwear.n.02")));
        assertTrue(footwear.contains(t.indexOf(wn.resolve("sandal"))));
        assertFalse(footwear.contains(t.indexOf(wn.resolve("dress"))));
    }

    @Test
    void subtreeEqualsTheBruteForceDescendantSet() {
        ConceptHierarchy t = ConceptHierarchy.defaultHierarchy(wn);
        for (String name : List.of("footwear.n.02", "clothing.n.01", "animal.n.01", "artifact.n.01")) {
            Concept root = wn.resolve(name);
            Set<Integer> expected = new HashSet<>();
            for (int i = 0; i < t.size(); i++) {
                Concept c = t.concept(i);
                if (c.equals(root) || c.allHypernyms().contains(root)) {
                    expected.add(i);
                }
            }
            assertEquals(expected, set(t.subtree(root)), name);
            for (int leaf : t.leaves(root)) {
                assertEquals(0, t.children(leaf).length);
            }
        }
    }

    @Test
    void defaultVocabularyCoversTheDatasetClassesAndResolvesFully() {
        List<String> words = ConceptHierarchy.defaultVocabulary();
        for (String w : List.of("sandal", "sneaker", "boot", "dress", "coat", "shirt", "pullover", "trouser", "bag", "five", "eight")) {
            assertTrue(words.contains(w), w);
        }
        ConceptHierarchy t = ConceptHierarchy.defaultHierarchy(wn);
        assertTrue(t.size() > words.size());
        assertEquals(t.checksum(), ConceptHierarchy.defaultHierarchy(wn).checksum());
        assertNotEquals(t.checksum(), ConceptHierarchy.fromWords(wn, List.of("sandal")).checksum());
    }

    @Test
    void unknownWordsAndOutsideConceptsAreClearErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConceptHierarchy.fromWords(wn, List.of("sandal", "qwxzzy")));
        assertTrue(e.getMessage().contains("qwxzzy"));
        ConceptHierarchy t = ConceptHierarchy.fromWords(wn, List.of("sandal"));
        e = assertThrows(IllegalArgumentException.class, () -> t.subtree(wn.resolve("dog")));
        assertTrue(e.getMessage().contains("not in the hierarchy"));
    }

    private static Set<Integer> set(int[] a) {
        return new HashSet<>(Arrays.stream(a).boxed().toList());
    }
}
