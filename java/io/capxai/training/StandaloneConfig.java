package io.capxai.training;

/**
 * What {@link Trainer#standalone} trains: a ResNet on the paper's colored MNIST (docs/method.md#the-colored-mnist-experiment).
 *
 * <p>Inputs are CLIP-preprocessed (bicubic 28 -> {@code resolution}, CLIP mean/std), the same
 * tensors the CLIP-style model sees, as docs/method.md#the-colored-mnist-experiment says. The pretrained Keras ResNet-50 expects caffe
 * preprocessing (BGR, mean subtraction, 0..255); fine-tuning adapts it to CLIP's normalisation.
 *
 * @param architecture      pretrained Keras ResNet-50 (ImageNet) with a fresh 2-class head, or ResNet-18 from scratch
 * @param colouring         biased (5 red, 8 green) or grey training images
 * @param resolution        input side (demo default 64; 224 is the paper's)
 * @param trainPerDigit     training images per digit (paper: 5,000)
 * @param testPerDigit      test images per digit (biased/grey like training)
 * @param realWorldPerDigit real-world images per digit (random red/green); even
 * @param epochs            passes over the training split
 * @param batchSize         images per step
 * @param learningRate      Adam learning rate
 * @param seed              seeds data order, head initialisation and the data splits
 */
public record StandaloneConfig(Architecture architecture, Colouring colouring, int resolution, int trainPerDigit,
                               int testPerDigit, int realWorldPerDigit, int epochs, int batchSize, double learningRate,
                               long seed) {
    public enum Architecture { RESNET50_PRETRAINED, RESNET18_SCRATCH }

    public enum Colouring { BIASED, GREY }

    public StandaloneConfig {
        if (architecture == null || colouring == null) {
            throw new IllegalArgumentException("architecture and colouring are required");
        }
        if (resolution < 32 || resolution % 32 != 0) {
            throw new IllegalArgumentException("resolution must be a multiple of 32 and >= 32, got " + resolution);
        }
        if (trainPerDigit < 1 || testPerDigit < 1 || realWorldPerDigit < 2 || realWorldPerDigit % 2 != 0) {
            throw new IllegalArgumentException("need >= 1 train and test images per digit and an even number >= 2 of"
                    + " real-world images per digit");
        }
        if (epochs < 1 || batchSize < 2 || !(learningRate > 0)) {
            throw new IllegalArgumentException("need epochs >= 1, batchSize >= 2 (BatchNorm) and a positive learning rate");
        }
    }

    /**
     * The demo's default, sized for 2 CPU cores: pretrained ResNet-50 at 64x64, 500 training images per
     * digit (the paper: 5,000), 250 test and 250 real-world images per digit, one epoch of batches of 16
     * (62 steps: enough for BatchNorm's running statistics to forget ImageNet's).
     */
    public static StandaloneConfig defaults(Colouring colouring) {
        return new StandaloneConfig(Architecture.RESNET50_PRETRAINED, colouring, 64, 500, 250, 250, 1, 16, 1e-4, 0L);
    }

    public StandaloneConfig withArchitecture(Architecture a) {
        return new StandaloneConfig(a, colouring, resolution, trainPerDigit, testPerDigit, realWorldPerDigit, epochs,
                batchSize, learningRate, seed);
    }

    public StandaloneConfig withSizes(int train, int test, int realWorld) {
        return new StandaloneConfig(architecture, colouring, resolution, train, test, realWorld, epochs, batchSize,
                learningRate, seed);
    }

    public StandaloneConfig withSeed(long seed) {
        return new StandaloneConfig(architecture, colouring, resolution, trainPerDigit, testPerDigit, realWorldPerDigit, epochs,
                batchSize, learningRate, seed);
    }

    public StandaloneConfig withTraining(int resolution, int epochs, int batchSize, double learningRate) {
        return new StandaloneConfig(architecture, colouring, resolution, trainPerDigit, testPerDigit, realWorldPerDigit,
                epochs, batchSize, learningRate, seed);
    }
}
