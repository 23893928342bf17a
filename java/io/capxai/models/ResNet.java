package io.capxai.models;

import io.capxai.taps.TapSet;
import io.capxai.weights.StateDict;
import io.capxai.weights.WeightsException;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import java.util.ArrayList;
import java.util.List;

/**
 * torchvision's ResNet (18/34/50/101/152, any number of classes), read from a state dict with
 * torchvision's keys ({@code conv1.weight}, {@code bn1.running_mean}, {@code layer1.0.conv1.weight},
 * {@code layer1.0.downsample.0.weight}, {@code fc.weight}, ...). Depth, block type, widths and class
 * count are inferred from the keys and shapes.
 *
 * <pre>
 *   conv1 7x7/2 -> bn1 -> relu -> maxpool 3x3/2 -> layer1 -> layer2 -> layer3 -> layer4 -> avgpool -> fc
 * </pre>
 *
 * <p>Tap points carry the PyTorch module names: {@code conv1}, {@code bn1}, {@code maxpool},
 * {@code layer1.0.conv1} ... {@code layer1.0.bn3}, {@code layer1.0.downsample.0},
 * {@code layer1.0.downsample.1}, {@code layer1.0} (block output), {@code layer1} (stage output),
 * {@code avgpool} ([N, C, 1, 1]) and {@code fc} (logits). The default taps (docs/method.md#models-and-taps) are the raw
 * outputs of every {@code convN} conv, downsample convs excluded: 49 for ResNet-50.
 */
public final class ResNet implements ImageModel {
    private static final int STAGES = 4;
    private final ModuleState state;
    private final String name;
    private final ResNetStyle style;
    private final String family;
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final List<List<ResNetBlock>> layers = new ArrayList<>();
    private final Linear fc;

    /** A torchvision ResNet from its state dict (every key must be used). */
    public static ResNet fromStateDict(StateDict weights) {
        return new ResNet(weights, ResNetStyle.TORCHVISION, "ResNet");
    }

    ResNet(StateDict weights, ResNetStyle style, String family) {
        this.state = new ModuleState(weights);
        this.style = style;
        this.family = family;
        boolean bottleneck = weights.contains("layer1.0.conv3.weight");
        if (!bottleneck && !weights.contains("layer1.0.conv1.weight")) {
            throw new WeightsException("not a ResNet state dict: no 'layer1.0.conv1.weight' (keys start with "
                    + weights.keys().stream().limit(5).toList() + ")");
        }
        conv1 = new Conv2d(state, "conv1", 3, 7, 2, 3, style.convBias());
        bn1 = new BatchNorm2d(state, "bn1", conv1.outChannels(), style.bnEps());
        long channels = conv1.outChannels();
        int depth = 2;
        for (int stage = 1; stage <= STAGES; stage++) {
            List<ResNetBlock> blocks = new ArrayList<>();
            for (int i = 0; weights.contains("layer" + stage + "." + i + ".conv1.weight"); i++) {
                String blockName = "layer" + stage + "." + i;
                long stride = (stage > 1 && i == 0) ? 2 : 1;
                ResNetBlock block = bottleneck
                        ? new Bottleneck(state, blockName, channels, stride, style)
                        : new BasicBlock(state, blockName, channels, stride, style);
                blocks.add(block);
                channels = block.outChannels();
                depth += bottleneck ? 3 : 2;
            }
            if (blocks.isEmpty()) {
                throw new WeightsException("missing tensor 'layer" + stage + ".0.conv1.weight': a ResNet has 4 stages");
            }
            layers.add(blocks);
        }
        fc = new Linear(state, "fc", channels);
        weights.requireAllUsed();
        this.name = family + "-" + depth;
    }

    @Override
    public String name() {
        return name;
    }

    public long numClasses() {
        return fc.outFeatures();
    }

    /** Blocks per stage, e.g. [3, 4, 6, 3] for ResNet-50. */
    public int[] blocksPerStage() {
        return layers.stream().mapToInt(List::size).toArray();
    }

    @Override
    public Tensor forward(Tensor images, TapSet taps) {
        Tensor input = Inputs.images(images, name, 32, state);
        taps.begin(name, tapPoints());
        Tensor logits = Scoped.run(() -> {
            Tensor x = taps.at("conv1", conv1.forward(input));
            x = taps.at("bn1", bn1.forward(x)).relu();
            x = taps.at("maxpool", torch.max_pool2d(x, new long[] {3, 3}, new long[] {2, 2}, new long[] {1, 1},
                    new long[] {1, 1}, false));
            for (int stage = 0; stage < STAGES; stage++) {
                for (ResNetBlock block : layers.get(stage)) {
                    x = block.forward(x, taps);
                }
                x = taps.at("layer" + (stage + 1), x);
            }
            x = taps.at("avgpool", torch.adaptive_avg_pool2d(x, 1, 1));
            return taps.at("fc", fc.forward(x.flatten(1, -1)));
        });
        taps.end();
        return logits;
    }

    @Override
    public List<String> tapPoints() {
        List<String> points = new ArrayList<>(List.of("conv1", "bn1", "maxpool"));
        for (int stage = 0; stage < STAGES; stage++) {
            layers.get(stage).forEach(b -> points.addAll(b.tapPoints()));
            points.add("layer" + (stage + 1));
        }
        points.add("avgpool");
        points.add("fc");
        return points;
    }

    /** docs/method.md#models-and-taps: the raw output of every {@code convN} conv in {@code named_modules} order, no downsample convs. */
    @Override
    public List<String> defaultTaps() {
        List<String> taps = new ArrayList<>(List.of("conv1"));
        layers.forEach(stage -> stage.forEach(b -> taps.addAll(b.convTaps())));
        return taps;
    }

    @Override
    public ModuleState state() {
        return state;
    }

    @Override
    public ResNet copyTo(org.bytedeco.pytorch.Device device) {
        ResNet copy = new ResNet(state.copyTo(device), style, family);
        copy.train(state.training());
        return copy;
    }
}
