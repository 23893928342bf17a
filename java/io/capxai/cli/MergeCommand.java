package io.capxai.cli;

import io.capxai.matching.MatchPartial;
import io.capxai.matching.MatchResult;
import io.capxai.matching.Partials;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code capxai merge}: the scores of all images from the partial sums of every shard. */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = "Merges the partial sums written by `match --shard I/N --partial FILE` (one file per shard, any order)"
                + " and writes the scores and statistics of all images, as `match --out` would; or, with --partial-out, the"
                + " merged partial (for `audit --partial`). Refuses partials of other models, taps, data or options, shards"
                + " of different splits, a shard given twice, and an incomplete set.")
public final class MergeCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PARTIAL", description = "Partial files, one per shard.")
    List<Path> partials;

    @Option(names = "--out", description = "safetensors file for the scores and statistics.")
    Path out;

    @Option(names = "--partial-out", description = "safetensors file for the merged partial.")
    Path partialOut;

    @Override
    public Integer call() {
        if (out == null && partialOut == null) {
            throw new IllegalArgumentException("merge: give --out SCORES, --partial-out FILE or both");
        }
        MatchPartial merged = null;
        for (int k = 0; k < partials.size(); k++) {
            MatchPartial p = Partials.read(partials.get(k));
            try {
                merged = merged == null ? p : merged.merge(p);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cannot merge " + partials.get(k) + " with " + partials.subList(0, k)
                        + ": " + e.getMessage(), e);
            }
        }
        if (!merged.complete()) {
            throw new IllegalArgumentException("the partials cover shards " + merged.shards() + " of "
                    + merged.shards().getFirst().count() + ": the others are missing, so the scores would not be those of all images");
        }
        if (partialOut != null) {
            Partials.write(partialOut, merged);
        }
        if (out != null) {
            MatchResult result = merged.finish();
            MatchCommand.writeScores(out, result, Map.of("engine", "fused", "shard", "merged " + merged.shards().size()));
        }
        spec.commandLine().getOut().printf("merged %d partials (%d images)%s%s%n", partials.size(), merged.images(),
                out == null ? "" : "; wrote " + out, partialOut == null ? "" : "; wrote " + partialOut);
        return 0;
    }
}
