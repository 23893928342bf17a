package io.capxai.cli;

import io.capxai.models.ImageModel;
import io.capxai.models.Models;
import io.capxai.taps.TapSet;
import io.capxai.weights.Safetensors;
import io.capxai.weights.StateDict;
import io.capxai.weights.Weights;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code capxai forward}: runs a model on a batch and writes its output and chosen taps. */
@Command(name = "forward", mixinStandardHelpOptions = true,
        description = "Runs a model on images from a safetensors file ('input' [N, 3, H, W] float32) and writes"
                + " 'output' (logits, or CLIP's unnormalised image embedding) and one tensor per tap.")
public final class ForwardCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--weights", required = true, description = "Weights (safetensors, PyTorch checkpoint, TorchScript, TF.js).")
    Path weights;

    @Option(names = "--arch", defaultValue = "auto", description = "auto, resnet, keras-resnet50 or clip (default: ${DEFAULT-VALUE}).")
    String arch;

    @Option(names = "--input", required = true, description = "safetensors file holding float32 'input' [N, 3, H, W].")
    Path input;

    @Option(names = "--out", required = true, description = "safetensors file to write.")
    Path out;

    @Option(names = "--taps", split = ",", description = "Tap names to save, e.g. conv1,layer1.0.conv1 (see 'capxai taps --all'),"
            + " or 'default' for the model's audit taps.")
    List<String> taps = List.of();

    @Mixin
    DeviceOption device;

    @Override
    public Integer call() {
        ImageModel model = Models.imageModel(Weights.load(weights), Models.Architecture.parse(arch));
        model.state().to(device.torch());
        Tensor images = Safetensors.read(input).get("input").to(device.torch(), org.bytedeco.pytorch.global.torch.ScalarType.Float);
        List<String> names = taps.equals(List.of("default")) ? model.defaultTaps() : taps;
        TapSet tapSet = TapSet.capturing(names);
        Map<String, Tensor> result = new LinkedHashMap<>();
        try (NoGradGuard _ = new NoGradGuard()) {
            result.put("output", model.forward(images, tapSet));
        }
        result.putAll(tapSet.captures());
        result.replaceAll((name, t) -> t.cpu()); // written from host memory
        Safetensors.write(out, result, Map.of("model", model.name(), "weights", weights.getFileName().toString()));
        spec.commandLine().getOut().println("wrote " + out + ": output " + io.capxai.tensors.Tensors.shapeString(result.get("output"))
                + (names.isEmpty() ? "" : " and " + names.size() + " taps"));
        return 0;
    }
}
