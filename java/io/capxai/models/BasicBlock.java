package io.capxai.models;

import io.capxai.taps.TapSet;
import org.bytedeco.pytorch.Tensor;

import java.util.ArrayList;
import java.util.List;

/** torchvision's BasicBlock (ResNet-18/34): two 3x3 convs, stride on the first. */
final class BasicBlock implements ResNetBlock {
    private final String name;
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Conv2d conv2;
    private final BatchNorm2d bn2;
    private final Downsample downsample; // null when the shortcut is the identity

    BasicBlock(ModuleState s, String name, long inChannels, long stride, ResNetStyle style) {
        this.name = name;
        conv1 = new Conv2d(s, name + ".conv1", inChannels, 3, stride, 1, style.convBias());
        bn1 = new BatchNorm2d(s, name + ".bn1", conv1.outChannels(), style.bnEps());
        conv2 = new Conv2d(s, name + ".conv2", conv1.outChannels(), 3, 1, 1, style.convBias());
        bn2 = new BatchNorm2d(s, name + ".bn2", conv2.outChannels(), style.bnEps());
        downsample = Downsample.ifPresent(s, name, inChannels, conv2.outChannels(), stride, style);
    }

    @Override
    public Tensor forward(Tensor x, TapSet taps) {
        return Scoped.run(() -> {
            Tensor out = taps.at(name + ".conv1", conv1.forward(x));
            out = taps.at(name + ".bn1", bn1.forward(out)).relu();
            out = taps.at(name + ".conv2", conv2.forward(out));
            out = taps.at(name + ".bn2", bn2.forward(out));
            Tensor identity = downsample == null ? x : downsample.forward(x, taps);
            return taps.at(name, out.add(identity).relu());
        });
    }

    @Override
    public long outChannels() {
        return conv2.outChannels();
    }

    @Override
    public List<String> tapPoints() {
        List<String> points = new ArrayList<>(List.of(name + ".conv1", name + ".bn1", name + ".conv2", name + ".bn2"));
        if (downsample != null) {
            points.addAll(downsample.tapPoints());
        }
        points.add(name);
        return points;
    }

    @Override
    public List<String> convTaps() {
        return List.of(name + ".conv1", name + ".conv2");
    }
}
