package io.capxai.audit;

import io.capxai.models.ImageModel;
import io.capxai.models.KerasResNet50;
import io.capxai.models.RandomWeights;
import io.capxai.models.ResNet;
import io.capxai.weights.StateDict;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Networks of a standalone model's architecture with random weights (He-normal convs, identity
 * BatchNorm statistics; {@link RandomWeights}): the controls that tell what any graft of that
 * architecture carries into CLIP, learned or not.
 */
public final class ControlModels {
    private ControlModels() {}

    /** A factory of random-weight models shaped like {@code standalone} (a torchvision or Keras ResNet), by seed. */
    public static LongFunction<ImageModel> like(ImageModel standalone) {
        if (!(standalone instanceof ResNet resnet)) {
            throw new IllegalArgumentException("random-weight controls are built for ResNet standalone models; "
                    + standalone.name() + " is not one: pass a control factory, or no controls");
        }
        StateDict weights = resnet.state().weights();
        int[] blocks = resnet.blocksPerStage();
        boolean bottleneck = weights.contains("layer1.0.conv3.weight");
        boolean keras = weights.contains("conv1.bias");
        long classes = resnet.numClasses();
        return seed -> {
            StateDict random = RandomWeights.resnet(blocks, bottleneck, classes, seed);
            return keras ? KerasResNet50.fromStateDict(withZeroConvBiases(random)) : ResNet.fromStateDict(random);
        };
    }

    /** What a control of {@code standalone}'s architecture is called in reports, e.g. {@code ResNet-18 with random weights}. */
    public static String describe(ImageModel standalone) {
        return standalone.name() + " with random weights";
    }

    /** Keras convolutions have biases: zero ones keep the random torchvision layout's function. */
    private static StateDict withZeroConvBiases(StateDict w) {
        Map<String, Tensor> out = new LinkedHashMap<>(w.asMap());
        for (String key : w.keys()) {
            if (key.endsWith(".weight") && w.shapeOf(key).length == 4) {
                String bias = key.substring(0, key.length() - ".weight".length()) + ".bias";
                out.put(bias, torch.zeros(w.shapeOf(key)[0]));
            }
        }
        return new StateDict(out, w.metadata());
    }
}
