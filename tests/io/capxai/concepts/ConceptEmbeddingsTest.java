package io.capxai.concepts;

import io.capxai.progress.ProgressListener;
import io.capxai.tensors.Tensors;
import io.capxai.wordnet.WordNet;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ConceptEmbeddingsTest {
    /** A text encoder whose embedding is a function of the text (length, vowels, a hash), counting its batches. */
    static final class CountingEncoder implements TextEncoder {
        final List<Integer> batches = new ArrayList<>();

        @Override
        public Tensor encode(List<String> texts) {
            batches.add(texts.size());
            float[] out = new float[texts.size() * 3];
            for (int i = 0; i < texts.size(); i++) {
                String t = texts.get(i);
                out[3 * i] = t.length();
                out[3 * i + 1] = t.replaceAll("[^aeiou]", "").length();
                out[3 * i + 2] = t.hashCode() % 97;
            }
            return Tensors.fromFloats(out, texts.size(), 3);
        }
    }

    private final ConceptHierarchy t = ConceptHierarchy.fromWords(WordNet.get(), List.of("sandal", "dress"));

    @Test
    void computedInBatchesNormalisedAndInHierarchyOrder() {
        CountingEncoder enc = new CountingEncoder();
        ConceptEmbeddings e = ConceptEmbeddings.compute(enc, t, ConceptText.GLOSS, 7, ProgressListener.NONE);
        assertEquals(t.size(), e.size());
        assertEquals((t.size() + 6) / 7, enc.batches.size());
        assertTrue(enc.batches.stream().allMatch(b -> b <= 7));
        float[] m = Tensors.toFloats(e.matrix());
        for (int i = 0; i < t.size(); i++) {
            double norm = Math.sqrt(m[3 * i] * m[3 * i] + m[3 * i + 1] * m[3 * i + 1] + m[3 * i + 2] * m[3 * i + 2]);
            assertEquals(1, norm, 1e-5);
            // row i is the gloss of synset i
            String gloss = t.concept(i).gloss();
            assertEquals(gloss.length() / norm(gloss), m[3 * i], 1e-5);
        }
    }

    @Test
    void cachedOncePerModelHierarchyAndMode(@TempDir Path dir) throws Exception {
        CountingEncoder enc = new CountingEncoder();
        ConceptEmbeddings first = ConceptEmbeddings.cached(enc, "abc123", t, ConceptText.GLOSS, dir, 16, ProgressListener.NONE);
        int calls = enc.batches.size();
        assertTrue(calls > 0);
        ConceptEmbeddings again = ConceptEmbeddings.cached(enc, "abc123", t, ConceptText.GLOSS, dir, 16, ProgressListener.NONE);
        assertEquals(calls, enc.batches.size(), "the second call must come from the cache");
        assertArrayEquals(Tensors.toFloats(first.matrix()), Tensors.toFloats(again.matrix()), 1e-6f);
        // another model, another mode: new entries
        ConceptEmbeddings.cached(enc, "def456", t, ConceptText.GLOSS, dir, 16, ProgressListener.NONE);
        ConceptEmbeddings lemmas = ConceptEmbeddings.cached(enc, "abc123", t, ConceptText.LEMMAS, dir, 16, ProgressListener.NONE);
        assertEquals(3 * calls, enc.batches.size());
        assertFalse(java.util.Arrays.equals(Tensors.toFloats(first.matrix()), Tensors.toFloats(lemmas.matrix())));
        try (var files = Files.list(dir)) {
            assertEquals(3, files.filter(p -> p.toString().endsWith(".safetensors")).count());
        }
        // a corrupt cache file is recomputed, not trusted
        Path file = dir.resolve(ConceptEmbeddings.cacheFileName("abc123", t, ConceptText.GLOSS));
        Files.write(file, new byte[] {1, 2, 3});
        ConceptEmbeddings healed = ConceptEmbeddings.cached(enc, "abc123", t, ConceptText.GLOSS, dir, 16, ProgressListener.NONE);
        assertEquals(4 * calls, enc.batches.size());
        assertArrayEquals(Tensors.toFloats(first.matrix()), Tensors.toFloats(healed.matrix()), 1e-6f);
    }

    private static double norm(String t) {
        double a = t.length(), b = t.replaceAll("[^aeiou]", "").length(), c = t.hashCode() % 97;
        return Math.sqrt(a * a + b * b + c * c);
    }
}
