package io.capxai.wordnet;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WordNetTest {
    private final WordNet wn = WordNet.get();

    @Test
    void synsetIdResolvesToTheImageNetClass() {
        Concept dog = wn.resolve("n02084071");
        assertEquals("n02084071", dog.id());
        assertEquals("dog.n.01", dog.nltkName());
        assertTrue(dog.lemmas().contains("domestic dog"), dog.lemmas().toString());
        // ImageNet class 0 (tench) is n01440764
        assertTrue(wn.resolve("n01440764").lemmas().contains("tench"));
    }

    @Test
    void wordGivesItsFirstNounSense() {
        Concept dog = wn.resolve("dog");
        assertEquals("n02084071", dog.id());
        assertEquals("hunting_dog.n.01", wn.resolve("hunting_dog").nltkName());
        assertEquals(wn.resolve("hunting dog"), wn.resolve("hunting_dog"));
    }

    @Test
    void nltkNameSelectsTheSense() {
        Concept bird = wn.resolve("bird.n.01");
        assertEquals("n01503061", bird.id());
        Concept bird2 = wn.resolve("bird.n.02"); // the meat of a bird
        assertFalse(bird.equals(bird2));
        assertEquals("bird.n.02", bird2.nltkName());
        assertEquals(bird2, wn.sense("bird", 2));
        // a synset whose first lemma's sense is not 1 keeps its own number: sandal.n.01 vs. shoe.n.02
        assertEquals("shoe.n.02", wn.resolve("shoe.n.02").nltkName());
    }

    @Test
    void glossHasNoExamples() {
        Concept dog = wn.resolve("dog.n.01");
        assertTrue(dog.gloss().startsWith("a member of the genus Canis"), dog.gloss());
        assertFalse(dog.gloss().contains("\""), dog.gloss());
        assertTrue(dog.fullGloss().contains("\"the dog barked all night\""), dog.fullGloss());
    }

    @Test
    void hypernymPathsEndAtEntity() {
        Concept sandal = wn.resolve("sandal");
        List<List<Concept>> paths = sandal.hypernymPaths();
        assertFalse(paths.isEmpty());
        for (List<Concept> path : paths) {
            assertEquals("entity.n.01", path.getFirst().nltkName());
            assertEquals(sandal, path.getLast());
        }
        List<String> above = sandal.allHypernyms().stream().flatMap(c -> c.lemmas().stream()).toList();
        assertTrue(above.contains("footwear"), above.toString());
        assertTrue(above.contains("shoe"), above.toString());
        assertTrue(wn.resolve("dog").hypernyms().stream().anyMatch(c -> c.nltkName().equals("canine.n.02")));
    }

    @Test
    void hyponymsDirectAndTransitive() {
        Concept dog = wn.resolve("dog.n.01");
        List<Concept> direct = dog.hyponyms();
        List<Concept> all = dog.allHyponyms();
        Concept puppy = wn.resolve("puppy.n.01");
        Concept beagle = wn.resolve("beagle");
        assertTrue(direct.contains(puppy));
        assertFalse(direct.contains(beagle)); // beagle < hound < hunting dog < dog
        assertTrue(all.contains(beagle));
        assertTrue(all.containsAll(direct));
        assertFalse(all.contains(dog));
        assertTrue(all.size() > 100, "dog has " + all.size() + " hyponyms");
    }

    @Test
    void badNamesGiveClearErrors() {
        assertTrue(assertThrows(WordNetException.class, () -> wn.resolve("qwzxv")).getMessage().contains("qwzxv"));
        assertTrue(assertThrows(WordNetException.class, () -> wn.resolve("dog.n.99")).getMessage().contains("no sense 99"));
        assertThrows(WordNetException.class, () -> wn.resolve("n99999999"));
        assertThrows(WordNetException.class, () -> wn.resolve(" "));
    }
}
