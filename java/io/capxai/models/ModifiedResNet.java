package io.capxai.models;

import io.capxai.taps.TapSet;
import io.capxai.weights.WeightsException;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * CLIP's image tower for RN50/RN101/RN50x4/x16/x64 (one code, sizes from the weights):
 * <pre>
 *   stem:  conv1 3x3/2 -> bn1 -> relu -> conv2 3x3 -> bn2 -> relu -> conv3 3x3 -> bn3 -> relu -> avgpool 2
 *   layer1 .. layer4 (anti-aliased Bottlenecks, stride 1, 2, 2, 2)
 *   attnpool (mean token attends over the 7x7 grid) -> embedding
 * </pre>
 * Tap names carry the {@code visual.} prefix: {@code visual.conv1} ... {@code visual.avgpool},
 * {@code visual.layer2.0.conv3}, {@code visual.layer2.0} (block), {@code visual.layer2} (stage,
 * post-residual, post-ReLU: the default surgery taps), {@code visual.attnpool}.
 */
public final class ModifiedResNet implements ClipImageTower {
    private static final String P = "visual.";
    private final ModuleState state;
    private final ClipConfig config;
    private final String name;
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Conv2d conv2;
    private final BatchNorm2d bn2;
    private final Conv2d conv3;
    private final BatchNorm2d bn3;
    private final List<List<ClipBottleneck>> layers = new ArrayList<>();
    private final AttentionPool2d attnpool;
    private final int resolution;

    ModifiedResNet(ModuleState state, ClipConfig config) {
        this.state = state;
        this.config = config;
        this.name = "CLIP ModifiedResNet " + Arrays.toString(config.visionLayers());
        conv1 = new Conv2d(state, P + "conv1", 3, 3, 2, 1, false);
        bn1 = new BatchNorm2d(state, P + "bn1", conv1.outChannels(), 1e-5);
        conv2 = new Conv2d(state, P + "conv2", conv1.outChannels(), 3, 1, 1, false);
        bn2 = new BatchNorm2d(state, P + "bn2", conv2.outChannels(), 1e-5);
        conv3 = new Conv2d(state, P + "conv3", conv2.outChannels(), 3, 1, 1, false);
        bn3 = new BatchNorm2d(state, P + "bn3", conv3.outChannels(), 1e-5);
        long channels = conv3.outChannels();
        int[] blocks = config.visionLayers();
        for (int stage = 0; stage < 4; stage++) {
            List<ClipBottleneck> stageBlocks = new ArrayList<>();
            for (int i = 0; i < blocks[stage]; i++) {
                long stride = (stage > 0 && i == 0) ? 2 : 1;
                ClipBottleneck block = new ClipBottleneck(state, P + "layer" + (stage + 1) + "." + i, channels, stride);
                stageBlocks.add(block);
                channels = block.outChannels();
            }
            layers.add(stageBlocks);
        }
        attnpool = new AttentionPool2d(state, P + "attnpool", channels, config.visionHeads());
        this.resolution = (int) config.imageResolution();
        if (attnpool.spatial() * 32 != resolution) {
            throw new WeightsException("attention pool made for " + attnpool.spatial() + "x" + attnpool.spatial()
                    + " features, resolution " + resolution);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Tensor forward(Tensor images, TapSet taps) {
        Tensor input = checkedImages(images);
        taps.begin(name, tapPoints());
        Tensor out = Scoped.run(() -> {
            Tensor x = stem(input, taps);
            for (int stage = 0; stage < 4; stage++) {
                x = stage(stage, x, taps);
            }
            return taps.at(P + "attnpool", attnpool.forward(x));
        });
        taps.end();
        return out;
    }

    @Override
    public Tensor forwardAfterBlock(int i, Tensor stageOutput, TapSet taps) {
        checkBlock(i);
        long channels = layers.get(i).getLast().outChannels();
        if (stageOutput.dim() != 4 || stageOutput.size(1) != channels) {
            throw new IllegalArgumentException(name + ": output of " + blockName(i) + " must be [N, " + channels
                    + ", H, W], got " + io.capxai.tensors.Tensors.shapeString(stageOutput));
        }
        Inputs.sameDevice(stageOutput, state, name, blockName(i) + " output");
        taps.begin(name + " after " + blockName(i), tapPoints());
        Tensor out = Scoped.run(() -> {
            Tensor x = stageOutput;
            for (int stage = i + 1; stage < 4; stage++) {
                x = stage(stage, x, taps);
            }
            return taps.at(P + "attnpool", attnpool.forward(x));
        });
        taps.end();
        return out;
    }

    private Tensor stem(Tensor x, TapSet taps) {
        x = taps.at(P + "conv1", conv1.forward(x));
        x = taps.at(P + "bn1", bn1.forward(x)).relu();
        x = taps.at(P + "conv2", conv2.forward(x));
        x = taps.at(P + "bn2", bn2.forward(x)).relu();
        x = taps.at(P + "conv3", conv3.forward(x));
        x = taps.at(P + "bn3", bn3.forward(x)).relu();
        return taps.at(P + "avgpool", torch.avg_pool2d(x, 2, 2));
    }

    private Tensor stage(int stage, Tensor x, TapSet taps) {
        for (ClipBottleneck block : layers.get(stage)) {
            x = block.forward(x, taps);
        }
        return taps.at(blockName(stage), x);
    }

    private Tensor checkedImages(Tensor images) {
        Tensor x = Inputs.images(images, name, 32, state);
        if (x.size(2) != resolution || x.size(3) != resolution) {
            throw new IllegalArgumentException(name + ": expects " + resolution + "x" + resolution
                    + " images (its attention-pool positional embedding is fixed), got " + io.capxai.tensors.Tensors.shapeString(x));
        }
        return x;
    }

    private void checkBlock(int i) {
        if (i < 0 || i >= 4) {
            throw new IllegalArgumentException(name + ": stage index " + i + " out of range 0..3");
        }
    }

    @Override
    public List<String> tapPoints() {
        List<String> points = new ArrayList<>();
        for (String layer : List.of("conv1", "bn1", "conv2", "bn2", "conv3", "bn3", "avgpool")) {
            points.add(P + layer);
        }
        for (int stage = 0; stage < 4; stage++) {
            layers.get(stage).forEach(b -> points.addAll(b.tapPoints()));
            points.add(blockName(stage));
        }
        points.add(P + "attnpool");
        return points;
    }

    /** docs/method.md#models-and-taps: the four stage outputs {@code visual.layer1..4}. */
    @Override
    public List<String> defaultTaps() {
        return List.of(P + "layer1", P + "layer2", P + "layer3", P + "layer4");
    }

    @Override
    public ModuleState state() {
        return state;
    }

    @Override
    public ModifiedResNet copyTo(org.bytedeco.pytorch.Device device) {
        ModifiedResNet copy = new ModifiedResNet(new ModuleState(state.copyTo(device)), config);
        copy.train(state.training());
        return copy;
    }

    @Override
    public int resolution() {
        return resolution;
    }

    @Override
    public long outputDim() {
        return attnpool.outputDim();
    }

    @Override
    public int blockCount() {
        return 4;
    }

    @Override
    public String blockName(int i) {
        checkBlock(i);
        return P + "layer" + (i + 1);
    }
}
