package io.capxai.models;

import io.capxai.weights.StateDict;
import io.capxai.weights.WeightsException;

import java.util.Locale;

/** Builds the image model a state dict describes: a standalone ResNet or a CLIP image tower. */
public final class Models {
    private Models() {}

    /** Which convention the weights follow; AUTO decides from the keys. */
    public enum Architecture {
        AUTO, RESNET, KERAS_RESNET50, CLIP;

        /** "auto", "resnet", "keras-resnet50" or "clip" (case and '-'/'_' insensitive). */
        public static Architecture parse(String name) {
            String n = name.strip().toUpperCase(Locale.ROOT).replace('-', '_');
            for (Architecture a : values()) {
                if (a.name().equals(n)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("unknown architecture '" + name
                    + "'; expected auto, resnet, keras-resnet50 or clip");
        }
    }

    /** The architecture AUTO picks for {@code weights}. */
    public static Architecture detect(StateDict weights) {
        if (weights.contains("visual.proj") || weights.contains("visual.layer1.0.conv1.weight")) {
            return Architecture.CLIP;
        }
        if (weights.contains("layer1.0.conv1.weight")) {
            return weights.contains("conv1.bias") ? Architecture.KERAS_RESNET50 : Architecture.RESNET;
        }
        throw new WeightsException("cannot tell the architecture: neither CLIP keys (visual.*) nor ResNet keys"
                + " (layer1.0.conv1.weight); first keys " + weights.keys().stream().limit(5).toList());
    }

    /** The image model of {@code weights}; for CLIP, its image tower (the text tower is built and checked too). */
    public static ImageModel imageModel(StateDict weights, Architecture arch) {
        Architecture a = arch == Architecture.AUTO ? detect(weights) : arch;
        return switch (a) {
            case RESNET -> ResNet.fromStateDict(weights);
            case KERAS_RESNET50 -> KerasResNet50.fromStateDict(weights);
            case CLIP -> ClipModel.fromStateDict(weights).visual();
            case AUTO -> throw new IllegalStateException("unreachable");
        };
    }
}
