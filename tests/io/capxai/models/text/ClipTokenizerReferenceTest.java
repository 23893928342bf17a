package io.capxai.models.text;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.capxai.data.NpmPackage;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Compares the Java tokenizer with OpenAI's simple_tokenizer.py (tests/reference, run with the
 * system Python; skipped where there is none) on strings chosen to hit every rule.
 */
class ClipTokenizerReferenceTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final List<String> TEXTS = List.of(
            "a photo of a cat",
            "a photo of a digit with the value 5.",
            "a photo of a green digit.",
            "DON'T  Stop!! We'll see; you're right, I'd say it's ok & they've gone",
            "1234567890 and 3.14159 and $99.99 and 50%",
            "naïve café über straße façade",
            "日本語のテキスト 中文 한국어",
            "🐱🐶 emoji 👍🏽 flags 🇫🇷",
            "ω≈π, x² + y³ = z⁴, ½ ¾",
            "&amp; &lt;tag&gt; &amp;amp; &#39;quoted&#39; &#x263A; &#128;&#0; &copy2024 &notit; &notin;",
            "   leading and trailing   \t whitespace \n\n",
            "hyphen-ated, slash/separated, under_scored, dot.ted",
            "Ünïcödé ÇÅPS and ǅ titlecase, ΣΊΣΥΦΟΣ greek",
            "electroencephalographically supercalifragilisticexpialidocious",
            "<|startoftext|>inline special<|endoftext|>",
            "tab\tseparated\u00a0nbsp\u2003emspace\u3000ideographic",
            "زبان فارسی and עברית and हिन्दी",
            "'''''' ... !!! ??? ---",
            "A photo of a T-shirt/top next to an Ankle boot.");

    @Test
    void javaMatchesPythonReference() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), "no system python3 for the reference tokenizer");
        Path script = Path.of(System.getProperty("capxai.repo", "."), "tests", "reference", "clip_tokenizer_reference.py");
        Path vocab = NpmPackage.CLIP_BPE.file(ClipTokenizer.VOCAB_JS);
        Process p = new ProcessBuilder(PYTHON.toString(), script.toString(), vocab.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        ObjectMapper json = new ObjectMapper();
        try (OutputStream in = p.getOutputStream()) {
            for (String t : TEXTS) {
                in.write((json.writeValueAsString(t) + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        List<String> expected = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assumeTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, "reference script failed");
        assertEquals(TEXTS.size(), expected.size());
        ClipTokenizer tok = ClipTokenizer.load();
        for (int i = 0; i < TEXTS.size(); i++) {
            String actual = Arrays.stream(tok.encode(TEXTS.get(i))).mapToObj(String::valueOf)
                    .collect(Collectors.joining(" "));
            assertEquals(expected.get(i), actual, "text: " + TEXTS.get(i));
        }
    }
}
