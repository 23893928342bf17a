package io.capxai.models;

import io.capxai.taps.TapSet;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import java.util.ArrayList;
import java.util.List;

/**
 * CLIP's anti-aliased Bottleneck: every conv has stride 1; a stride-s block average-pools after the
 * 3x3 conv and on the shortcut ({@code downsample = AvgPool(s), conv 1x1, BatchNorm}, keys
 * {@code downsample.0} and {@code downsample.1}).
 */
final class ClipBottleneck {
    private final String name;
    private final long stride;
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Conv2d conv2;
    private final BatchNorm2d bn2;
    private final Conv2d conv3;
    private final BatchNorm2d bn3;
    private final Conv2d downsampleConv; // null: identity shortcut
    private final BatchNorm2d downsampleBn;

    ClipBottleneck(ModuleState s, String name, long inChannels, long stride) {
        this.name = name;
        this.stride = stride;
        conv1 = new Conv2d(s, name + ".conv1", inChannels, 1, 1, 0, false);
        bn1 = new BatchNorm2d(s, name + ".bn1", conv1.outChannels(), 1e-5);
        conv2 = new Conv2d(s, name + ".conv2", conv1.outChannels(), 3, 1, 1, false);
        bn2 = new BatchNorm2d(s, name + ".bn2", conv2.outChannels(), 1e-5);
        conv3 = new Conv2d(s, name + ".conv3", conv2.outChannels(), 1, 1, 0, false);
        bn3 = new BatchNorm2d(s, name + ".bn3", conv3.outChannels(), 1e-5);
        if (stride > 1 || inChannels != conv3.outChannels()) {
            downsampleConv = new Conv2d(s, name + ".downsample.0", inChannels, 1, 1, 0, false);
            downsampleBn = new BatchNorm2d(s, name + ".downsample.1", conv3.outChannels(), 1e-5);
        } else {
            downsampleConv = null;
            downsampleBn = null;
        }
    }

    long outChannels() {
        return conv3.outChannels();
    }

    Tensor forward(Tensor x, TapSet taps) {
        return Scoped.run(() -> {
            Tensor out = taps.at(name + ".conv1", conv1.forward(x));
            out = taps.at(name + ".bn1", bn1.forward(out)).relu();
            out = taps.at(name + ".conv2", conv2.forward(out));
            out = taps.at(name + ".bn2", bn2.forward(out)).relu();
            out = pool(out);
            out = taps.at(name + ".conv3", conv3.forward(out));
            out = taps.at(name + ".bn3", bn3.forward(out));
            Tensor identity = x;
            if (downsampleConv != null) {
                identity = taps.at(name + ".downsample.0", downsampleConv.forward(pool(x)));
                identity = taps.at(name + ".downsample.1", downsampleBn.forward(identity));
            }
            return taps.at(name, out.add(identity).relu());
        });
    }

    private Tensor pool(Tensor x) {
        return stride > 1 ? torch.avg_pool2d(x, stride, stride) : x;
    }

    List<String> tapPoints() {
        List<String> points = new ArrayList<>();
        for (String layer : List.of("conv1", "bn1", "conv2", "bn2", "conv3", "bn3")) {
            points.add(name + "." + layer);
        }
        if (downsampleConv != null) {
            points.add(name + ".downsample.0");
            points.add(name + ".downsample.1");
        }
        points.add(name);
        return points;
    }
}
