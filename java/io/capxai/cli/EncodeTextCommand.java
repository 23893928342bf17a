package io.capxai.cli;

import io.capxai.models.ClipModel;
import io.capxai.models.text.ClipTokenizer;
import io.capxai.tensors.Tensors;
import io.capxai.weights.Safetensors;
import io.capxai.weights.Weights;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code capxai encode-text}: CLIP text features of captions. */
@Command(name = "encode-text", mixinStandardHelpOptions = true,
        description = "Writes int64 'tokens' [n, context] and float32 'output' [n, embed] (unnormalised text features) of the texts.")
public final class EncodeTextCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--weights", required = true, description = "CLIP weights (OpenAI layout).")
    Path weights;

    @Option(names = "--out", required = true, description = "safetensors file to write.")
    Path out;

    @Parameters(arity = "1..*", paramLabel = "TEXT", description = "Texts to encode.")
    List<String> texts;

    @Mixin
    DeviceOption device;

    @Override
    public Integer call() {
        ClipModel clip = ClipModel.fromStateDict(Weights.load(weights));
        clip.to(device.torch());
        Tensor tokens = ClipTokenizer.load().tokenize(texts, (int) clip.config().contextLength(), false);
        Map<String, Tensor> result = new LinkedHashMap<>();
        result.put("tokens", tokens);
        try (NoGradGuard noGrad = new NoGradGuard()) {
            result.put("output", clip.encodeText(tokens.to(clip.device(), org.bytedeco.pytorch.global.torch.ScalarType.Long)));
        }
        Safetensors.write(out, result, Map.of("weights", weights.getFileName().toString()));
        spec.commandLine().getOut().println("wrote " + out + ": tokens " + Tensors.shapeString(tokens)
                + ", output " + Tensors.shapeString(result.get("output")));
        return 0;
    }
}
