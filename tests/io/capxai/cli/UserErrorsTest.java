package io.capxai.cli;

import io.capxai.data.MissingDataException;
import io.capxai.weights.WeightsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A user's mistake is one line and exit code 2; {@code --debug} adds the trace; a defect keeps its trace. */
class UserErrorsTest {
    @TempDir
    Path dir;

    private record Run(int code, String err) {}

    private static Run capxai(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        return new Run(cl.execute(args), err.toString());
    }

    private static void assertOneLine(Run run, String expected) {
        assertEquals(2, run.code(), run.err());
        assertEquals(1, run.err().lines().count(), "one line: " + run.err());
        assertTrue(run.err().startsWith("capxai: "), run.err());
        assertTrue(run.err().contains(expected), run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace: " + run.err());
    }

    @Test
    void missingFileIsOneLine() {
        Path missing = dir.resolve("missing.pt");
        assertOneLine(capxai("weights", missing.toString()), "weight file not found: " + missing);
    }

    @Test
    void badOptionValueIsOneLine() {
        assertOneLine(capxai("weights", "x.pt", "--limit", "many"), "'many' is not an int");
        assertOneLine(capxai("weights", "x.pt", "--no-such-option"), "--no-such-option");
        assertTrue(capxai("weights", "x.pt", "--limit", "many").err().contains("see 'capxai weights --help'"));
    }

    @Test
    void badWeightsFileIsOneLine() throws IOException {
        Path bad = dir.resolve("bad.safetensors");
        Files.write(bad, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        Run run = capxai("weights", bad.toString());
        assertOneLine(run, bad.getFileName().toString());
    }

    @Test
    void debugShowsTheTrace() {
        Path missing = dir.resolve("missing.pt");
        for (String[] args : new String[][] {{"--debug", "weights", missing.toString()}, {"weights", "--debug", missing.toString()}}) {
            Run run = capxai(args);
            assertEquals(2, run.code(), run.err());
            assertTrue(run.err().startsWith("capxai: weight file not found: " + missing), run.err());
            assertTrue(run.err().contains("\tat io.capxai."), "trace with --debug: " + run.err());
        }
    }

    @Test
    void engineExceptionsAreClassified() {
        assertEquals(Optional.of("file not found: /x/y"), UserErrors.userMessage(new UncheckedIOException(new NoSuchFileException("/x/y"))));
        assertEquals(Optional.of("no npm / install it"), UserErrors.userMessage(new MissingDataException("no npm\n  install it")));
        assertEquals(Optional.of("bad"), UserErrors.userMessage(new WeightsException("bad")));
        assertEquals(Optional.of("--batch must be positive"), UserErrors.userMessage(new IllegalArgumentException("--batch must be positive")));
        assertEquals(Optional.empty(), UserErrors.userMessage(new IllegalStateException("invariant broken")));
        assertEquals(Optional.empty(), UserErrors.userMessage(new NullPointerException()));
    }

    @Test
    void aDefectKeepsItsTrace() {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Defect());
        UserErrors errors = new UserErrors(() -> false);
        cl.setExecutionExceptionHandler(errors);
        cl.setErr(new PrintWriter(err));
        assertEquals(1, cl.execute());
        assertTrue(err.toString().startsWith("capxai: internal error"), err.toString());
        assertTrue(err.toString().contains("IllegalStateException: invariant broken") && err.toString().contains("\tat "), err.toString());
    }

    @CommandLine.Command(name = "defect")
    static final class Defect implements Runnable {
        @Override
        public void run() {
            throw new IllegalStateException("invariant broken");
        }
    }
}
