package io.capxai.cli;

import io.capxai.models.ImageModel;
import io.capxai.models.Models;
import io.capxai.taps.TapShape;
import io.capxai.weights.Weights;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code capxai taps}: the tap points of a model with their output shapes (one dry forward pass). */
@Command(name = "taps", mixinStandardHelpOptions = true,
        description = "Lists a model's tap points and their shapes for one input image (dry run).")
public final class TapsCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--weights", required = true, description = "Weights (safetensors, PyTorch checkpoint, TorchScript, TF.js).")
    Path weights;

    @Option(names = "--arch", defaultValue = "auto", description = "auto, resnet, keras-resnet50 or clip (default: ${DEFAULT-VALUE}).")
    String arch;

    @Option(names = "--size", description = "Input side in pixels (default 224, or the CLIP tower's fixed resolution).")
    Integer size;

    @Option(names = "--all", description = "Every tap point, not only the default audit taps.")
    boolean all;

    @Override
    public Integer call() {
        ImageModel model = Models.imageModel(Weights.load(weights), Models.Architecture.parse(arch));
        int side = size != null ? size : model.fixedResolution() > 0 ? model.fixedResolution() : 224;
        List<TapShape> shapes = all ? model.describeTaps(side, side) : model.describeTaps(model.defaultTaps(), side, side);
        PrintWriter out = spec.commandLine().getOut();
        out.println("# " + model.name() + ", input [1, 3, " + side + ", " + side + "], "
                + (all ? "all tap points" : "default taps"));
        long channels = 0;
        for (TapShape s : shapes) {
            out.println(s);
            channels += s.channels();
        }
        out.println("# " + shapes.size() + " taps, " + channels + " channels");
        out.flush();
        return 0;
    }
}
