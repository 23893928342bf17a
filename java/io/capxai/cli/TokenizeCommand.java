package io.capxai.cli;

import io.capxai.models.text.ClipTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code capxai tokenize "text" ...}: CLIP BPE token ids, one line per text. */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Print the CLIP BPE token ids of each text, space-separated (with start/end tokens unless --raw).")
public final class TokenizeCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "TEXT", description = "Texts to tokenize.")
    List<String> texts;

    @Option(names = "--raw", description = "Omit the start-of-text (49406) and end-of-text (49407) tokens.")
    boolean raw;

    @Option(names = "--pad", description = "Print the full zero-padded row of --context-length ids, as the model sees it.")
    boolean pad;

    @Option(names = "--context-length", defaultValue = "77", description = "Context length (default: ${DEFAULT-VALUE}).")
    int contextLength;

    @Option(names = "--truncate", description = "Cut texts that are too long instead of failing.")
    boolean truncate;

    @Option(names = "--symbols", description = "Print the vocabulary entries instead of ids.")
    boolean symbols;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ClipTokenizer tok = ClipTokenizer.load();
        PrintWriter out = spec.commandLine().getOut();
        for (String text : texts) {
            long[] ids;
            if (raw) {
                ids = Arrays.stream(tok.encode(text)).asLongStream().toArray();
            } else {
                long[] row = tok.tokenizeToArrays(List.of(text), contextLength, truncate)[0];
                int end = pad ? row.length : indexOfEnd(row) + 1;
                ids = Arrays.copyOf(row, end);
            }
            out.println(Arrays.stream(ids)
                    .mapToObj(id -> symbols ? tok.symbol((int) id) : String.valueOf(id))
                    .collect(Collectors.joining(" ")));
        }
        out.flush();
        return 0;
    }

    private static int indexOfEnd(long[] row) {
        for (int i = 0; i < row.length; i++) {
            if (row[i] == ClipTokenizer.END_OF_TEXT) {
                return i;
            }
        }
        return row.length - 1;
    }
}
