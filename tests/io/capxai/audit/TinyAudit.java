package io.capxai.audit;

import io.capxai.data.ColoredMnist;
import io.capxai.data.Mnist;
import io.capxai.models.ClipModel;
import io.capxai.models.RandomWeights;
import io.capxai.models.ResNet;
import io.capxai.probing.CaptionSet;
import io.capxai.probing.ImageLabels;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The audit tests' shared set-up: a few real colored-MNIST digits, a tiny random ResNet as the
 * standalone model (weights from {@code seed}) and a tiny random CLIP-architecture model (from
 * {@code seed + 1}).
 */
record TinyAudit(ColoredMnist.Splits splits, ResNet standalone, ClipModel clip) {
    static TinyAudit of(int train, int test, int realWorld, long seed) {
        return new TinyAudit(ColoredMnist.build(Mnist.load(), ColoredMnist.Config.paper().withSizes(train, test, realWorld)),
                ResNet.fromStateDict(RandomWeights.resnet(new int[] {1, 1, 1, 1}, false, 2, seed)),
                ClipModel.fromStateDict(RandomWeights.clipResNet(new int[] {1, 1, 1, 1}, 16, 32, 32, 64, 1, 49408, seed + 1)));
    }

    /** Statistics on the train split, the verdict on the test split, the paper's captions. */
    Audit.Builder builder() {
        return Audit.builder().standalone(standalone).clip(clip, "random tiny CLIP-architecture model")
                .statistics(splits.train()).evaluation(splits.test()).labels(labels(splits.test()))
                .captions(CaptionSet.coloredMnist());
    }

    static ImageLabels labels(ColoredMnist.Split split) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 0; i < split.size(); i++) {
            rows.add(Map.of("shape", Integer.toString(split.digit(i)), "colour", split.colour(i).name().toLowerCase()));
        }
        return ImageLabels.of(List.of("shape", "colour"), rows);
    }
}
