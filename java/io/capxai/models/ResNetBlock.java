package io.capxai.models;

import io.capxai.taps.TapSet;
import org.bytedeco.pytorch.Tensor;

import java.util.List;

/** One residual block of a ResNet stage ({@code layer2.1}). */
interface ResNetBlock {
    Tensor forward(Tensor x, TapSet taps);

    long outChannels();

    /** Tap points inside the block and the block itself, in forward order. */
    List<String> tapPoints();

    /** The {@code convN} taps of docs/method.md#models-and-taps (no downsample conv). */
    List<String> convTaps();
}
