package io.capxai.models;

import io.capxai.taps.TapSet;
import org.bytedeco.pytorch.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * The ResNet-50/101/152 Bottleneck: 1x1 reduce, 3x3, 1x1 expand (x4), plus the shortcut.
 * torchvision strides the 3x3 conv, Keras the first 1x1 conv ({@link ResNetStyle}).
 */
final class Bottleneck implements ResNetBlock {
    private final String name;
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Conv2d conv2;
    private final BatchNorm2d bn2;
    private final Conv2d conv3;
    private final BatchNorm2d bn3;
    private final Downsample downsample; // null when the shortcut is the identity

    Bottleneck(ModuleState s, String name, long inChannels, long stride, ResNetStyle style) {
        this.name = name;
        long stride1 = style.strideOnFirstConv() ? stride : 1;
        long stride2 = style.strideOnFirstConv() ? 1 : stride;
        conv1 = new Conv2d(s, name + ".conv1", inChannels, 1, stride1, 0, style.convBias());
        bn1 = new BatchNorm2d(s, name + ".bn1", conv1.outChannels(), style.bnEps());
        conv2 = new Conv2d(s, name + ".conv2", conv1.outChannels(), 3, stride2, 1, style.convBias());
        bn2 = new BatchNorm2d(s, name + ".bn2", conv2.outChannels(), style.bnEps());
        conv3 = new Conv2d(s, name + ".conv3", conv2.outChannels(), 1, 1, 0, style.convBias());
        bn3 = new BatchNorm2d(s, name + ".bn3", conv3.outChannels(), style.bnEps());
        downsample = Downsample.ifPresent(s, name, inChannels, conv3.outChannels(), stride, style);
    }

    @Override
    public Tensor forward(Tensor x, TapSet taps) {
        return Scoped.run(() -> {
            Tensor out = taps.at(name + ".conv1", conv1.forward(x));
            out = taps.at(name + ".bn1", bn1.forward(out)).relu();
            out = taps.at(name + ".conv2", conv2.forward(out));
            out = taps.at(name + ".bn2", bn2.forward(out)).relu();
            out = taps.at(name + ".conv3", conv3.forward(out));
            out = taps.at(name + ".bn3", bn3.forward(out));
            Tensor identity = downsample == null ? x : downsample.forward(x, taps);
            return taps.at(name, out.add(identity).relu());
        });
    }

    @Override
    public long outChannels() {
        return conv3.outChannels();
    }

    @Override
    public List<String> tapPoints() {
        List<String> points = new ArrayList<>();
        for (String layer : List.of("conv1", "bn1", "conv2", "bn2", "conv3", "bn3")) {
            points.add(name + "." + layer);
        }
        if (downsample != null) {
            points.addAll(downsample.tapPoints());
        }
        points.add(name);
        return points;
    }

    @Override
    public List<String> convTaps() {
        return List.of(name + ".conv1", name + ".conv2", name + ".conv3");
    }
}
