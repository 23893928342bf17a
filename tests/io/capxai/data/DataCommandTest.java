package io.capxai.data;

import io.capxai.tensors.CacheDir;

import io.capxai.cli.DataCommand;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataCommandTest {
    @Test
    void fetchReportsVerifiedPathsAndChecksums() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new DataCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        assertEquals(0, cl.execute("fetch"), err.toString());
        String text = out.toString();
        assertTrue(text.contains("train-images-idx3-ubyte  md5 6bbc9ace898e44ae57da46a324031adb (verified)"), text);
        assertTrue(text.contains("t10k-labels-idx1-ubyte  md5 " + Mnist.MD5.get(Mnist.TEST_LABELS)), text);
        assertTrue(text.contains("bpe_simple_vocab_16e6.js  sha256 "), text);
        assertTrue(text.contains("cache: " + CacheDir.root()), text);
    }

    @Test
    void withoutSubcommandPrintsUsage() {
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new DataCommand());
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute());
        assertTrue(out.toString().contains("fetch"), out.toString());
    }
}
