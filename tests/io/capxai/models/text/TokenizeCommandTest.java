package io.capxai.models.text;

import io.capxai.cli.TokenizeCommand;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenizeCommandTest {
    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new TokenizeCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void printsIdsWithStartAndEnd() {
        Run r = run("a photo of a cat", "a red digit.");
        assertEquals(0, r.exit(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals("49406 320 1125 539 320 2368 49407", lines[0]);
        ClipTokenizer tok = ClipTokenizer.load();
        assertEquals("49406 320 " + tok.id("red</w>") + " " + tok.id("digit</w>") + " " + tok.id(".</w>") + " 49407",
                lines[1]);
    }

    @Test
    void rawPaddedAndSymbols() {
        assertEquals("320 1125 539 320 2368", run("--raw", "a photo of a cat").out().strip());
        String padded = run("--pad", "--context-length", "10", "a cat").out().strip();
        assertEquals("49406 320 2368 49407 0 0 0 0 0 0", padded);
        assertEquals("<|startoftext|> a</w> cat</w> <|endoftext|>", run("--symbols", "a cat").out().strip());
    }

    @Test
    void tooLongFailsUnlessTruncated() {
        Run fail = run("--context-length", "4", "one two three four");
        assertNotEquals(0, fail.exit());
        assertTrue(fail.err().contains("too long"), fail.err());
        Run ok = run("--context-length", "4", "--truncate", "one two three four");
        assertEquals(0, ok.exit(), ok.err());
        assertEquals(4, ok.out().strip().split(" ").length);
        assertTrue(ok.out().strip().endsWith("49407"));
    }
}
