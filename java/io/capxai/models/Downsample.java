package io.capxai.models;

import io.capxai.taps.TapSet;
import io.capxai.weights.WeightsException;
import org.bytedeco.pytorch.Tensor;

import java.util.List;

/** A ResNet shortcut projection {@code downsample = Sequential(conv 1x1 stride s, BatchNorm)}. */
final class Downsample {
    private final String name;
    private final Conv2d conv;
    private final BatchNorm2d bn;

    private Downsample(ModuleState s, String name, long inChannels, long stride, ResNetStyle style) {
        this.name = name;
        conv = new Conv2d(s, name + ".0", inChannels, 1, stride, 0, style.convBias());
        bn = new BatchNorm2d(s, name + ".1", conv.outChannels(), style.bnEps());
    }

    /** The block's downsample when its weights exist; required when the shape changes. */
    static Downsample ifPresent(ModuleState s, String block, long inChannels, long outChannels, long stride,
                                ResNetStyle style) {
        String name = block + ".downsample";
        if (!s.weights().contains(name + ".0.weight")) {
            if (stride != 1 || inChannels != outChannels) {
                throw new WeightsException("missing tensor '" + name + ".0.weight': block " + block + " maps "
                        + inChannels + " to " + outChannels + " channels with stride " + stride + " and needs a projection");
            }
            return null;
        }
        Downsample d = new Downsample(s, name, inChannels, stride, style);
        if (d.conv.outChannels() != outChannels) {
            throw new WeightsException("tensor '" + name + ".0.weight' has " + d.conv.outChannels()
                    + " output channels, the block has " + outChannels);
        }
        return d;
    }

    Tensor forward(Tensor x, TapSet taps) {
        Tensor out = taps.at(name + ".0", conv.forward(x));
        return taps.at(name + ".1", bn.forward(out));
    }

    List<String> tapPoints() {
        return List.of(name + ".0", name + ".1");
    }
}
