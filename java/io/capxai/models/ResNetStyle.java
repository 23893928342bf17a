package io.capxai.models;

/**
 * The two ResNet conventions this engine reads.
 *
 * @param strideOnFirstConv Keras v1 puts a block's stride on its first 1x1 conv; torchvision (v1.5)
 *                          on the 3x3 conv
 * @param convBias          Keras convs have biases; torchvision's do not
 * @param bnEps             BatchNorm epsilon: 1e-5 torchvision, 1e-3 Keras
 */
record ResNetStyle(boolean strideOnFirstConv, boolean convBias, double bnEps) {
    static final ResNetStyle TORCHVISION = new ResNetStyle(false, false, 1e-5);
    static final ResNetStyle KERAS = new ResNetStyle(true, true, 1e-3);
}
