package io.capxai.cli;

import io.capxai.tensors.Tensors;
import io.capxai.weights.Safetensors;
import io.capxai.weights.StateDict;
import io.capxai.weights.Weights;
import org.bytedeco.pytorch.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code capxai weights FILE}: what a weight file holds; optionally converts it to safetensors. */
@Command(name = "weights", mixinStandardHelpOptions = true,
        description = {"Lists the tensors of a weight file (safetensors, PyTorch checkpoint, TorchScript archive,",
                "TF.js model.json or its folder), and optionally converts it to safetensors (float32)."})
public final class WeightsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the weight file or TF.js folder")
    Path file;

    @Option(names = "--convert", paramLabel = "OUT", description = "write the tensors to OUT as safetensors")
    Path convertTo;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "list at most N tensors (default ${DEFAULT-VALUE}; -1: all)")
    int limit;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Weights.Format format = Weights.detect(file);
        StateDict dict = Weights.load(file);
        long values = 0;
        int listed = 0;
        for (Map.Entry<String, Tensor> e : dict.asMap().entrySet()) {
            values += e.getValue().numel();
            if (limit < 0 || listed < limit) {
                out.printf("%-60s %-22s %s%n", e.getKey(), Tensors.shapeString(e.getValue()), e.getValue().scalar_type());
                listed++;
            }
        }
        if (listed < dict.size()) {
            out.printf("... %d more (--limit -1 lists all)%n", dict.size() - listed);
        }
        out.printf("%s: %s, %d tensors, %,d values%n", file, format, dict.size(), values);
        dict.metadata().forEach((k, v) -> out.printf("  %s = %s%n", k, v));
        if (convertTo != null) {
            Safetensors.write(convertTo, dict.asMap(), dict.metadata());
            out.printf("wrote %s%n", convertTo);
        }
        out.flush();
        return 0;
    }
}
