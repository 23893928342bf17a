package io.capxai.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The paper's colored MNIST (docs/method.md#the-colored-mnist-experiment): two digits (5 and 8), coloured so that colour and
 * shape are confounded in training.
 * <ul>
 *   <li><b>biased</b> (train, test): the intensity goes into the red channel for the first digit
 *       (5) and the green channel for the second (8); black background.</li>
 *   <li><b>real world</b>: the colour is random and independent of the digit: a seeded random half
 *       of each digit's images is red, the other half green (stratified, so colour and digit are
 *       exactly independent in every split, not only in expectation).</li>
 *   <li><b>grey</b>: {@link Split#grey()} copies the intensity into all three channels.</li>
 * </ul>
 * <b>Which MNIST images feed which split.</b> Train takes {@code trainPerDigit} images per digit
 * from MNIST train. Everything else of those digits (the rest of MNIST train plus all of t10k) is
 * the held-out pool; test and real world are drawn from it and never share an image with train.
 * Test and real world are disjoint too as long as the pool allows. MNIST has only 1,313 fives
 * outside a 5,000-per-digit train set (421 in train, 892 in t10k; eights: 851 + 974), too few for
 * two disjoint splits of 1,000 fives: then the real-world split takes every unused pool image
 * first and fills the shortfall by re-using test images, recoloured at random
 * ({@link Splits#realWorldSharedWithTest()} counts them; 862 of 2,000 at the paper's sizes).
 * Real world measures colour reliance, so a shared shape in a different colour is the point
 * of the comparison, and no evaluation image is ever seen in training.
 *
 * <p>Labels are class indices: 0 for the first digit, 1 for the second.
 */
public final class ColoredMnist {
    /** Split sizes per digit and the seed; {@link #paper()} gives 10,000 / 2,000 / 2,000. */
    public record Config(int firstDigit, int secondDigit, int trainPerDigit, int testPerDigit,
                         int realWorldPerDigit, long seed) {
        public Config {
            if (firstDigit == secondDigit || firstDigit < 0 || firstDigit > 9 || secondDigit < 0 || secondDigit > 9) {
                throw new IllegalArgumentException("need two different digits 0..9, got " + firstDigit + ", " + secondDigit);
            }
            if (trainPerDigit < 0 || testPerDigit < 0 || realWorldPerDigit < 0) {
                throw new IllegalArgumentException("split sizes must not be negative");
            }
            if (realWorldPerDigit % 2 != 0) {
                throw new IllegalArgumentException("realWorldPerDigit must be even (half red, half green), got "
                        + realWorldPerDigit);
            }
        }

        public static Config paper() {
            return new Config(5, 8, 5000, 1000, 1000, 0L);
        }

        public Config withSizes(int trainPerDigit, int testPerDigit, int realWorldPerDigit) {
            return new Config(firstDigit, secondDigit, trainPerDigit, testPerDigit, realWorldPerDigit, seed);
        }

        public Config withSeed(long seed) {
            return new Config(firstDigit, secondDigit, trainPerDigit, testPerDigit, realWorldPerDigit, seed);
        }
    }

    /** Which MNIST file an image comes from. */
    public enum Source { MNIST_TRAIN, MNIST_T10K }

    /** One item: the source image, its digit and class index, and the colour it is drawn in. */
    public record Sample(Source source, int sourceIndex, int digit, int label, DigitColour colour) {
        public Sample withColour(DigitColour c) {
            return new Sample(source, sourceIndex, digit, label, c);
        }
    }

    /** One split as a {@link Dataset}; images are rendered on demand (28 x 28 x 3 uint8). */
    public static final class Split implements Dataset {
        private final String name;
        private final Mnist mnist;
        private final List<Sample> samples;
        private final List<String> classNames;

        Split(String name, Mnist mnist, List<Sample> samples, List<String> classNames) {
            this.name = name;
            this.mnist = mnist;
            this.samples = List.copyOf(samples);
            this.classNames = classNames;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int size() {
            return samples.size();
        }

        public Sample sample(int i) {
            checkIndex(i);
            return samples.get(i);
        }

        public List<Sample> samples() {
            return samples;
        }

        @Override
        public RgbImage image(int i) {
            Sample s = sample(i);
            IdxImages src = (s.source() == Source.MNIST_TRAIN ? mnist.train() : mnist.test()).images();
            return s.colour().colour(src.rows(), src.cols(), src.image(s.sourceIndex()));
        }

        @Override
        public int label(int i) {
            return sample(i).label();
        }

        public int digit(int i) {
            return sample(i).digit();
        }

        public DigitColour colour(int i) {
            return sample(i).colour();
        }

        @Override
        public List<String> classNames() {
            return classNames;
        }

        /** The same images with the intensity in all three channels. */
        public Split grey() {
            return new Split(name + "-grey", mnist, samples.stream().map(s -> s.withColour(DigitColour.GREY)).toList(),
                    classNames);
        }
    }

    /** The three splits of one build. */
    public record Splits(Split train, Split test, Split realWorld, int realWorldSharedWithTest) {
        /** Grey versions of all three splits (the grey-trained control model). */
        public Splits grey() {
            return new Splits(train.grey(), test.grey(), realWorld.grey(), realWorldSharedWithTest);
        }
    }

    private ColoredMnist() {}

    /** The paper's splits from MNIST fetched into the cache. */
    public static Splits paper() {
        return build(Mnist.load(), Config.paper());
    }

    public static Splits build(Mnist mnist, Config config) {
        List<String> classNames = classNames(config);
        List<Sample> train = new ArrayList<>();
        List<Sample> test = new ArrayList<>();
        List<Sample> realWorld = new ArrayList<>();
        int shared = 0;
        for (int label = 0; label < 2; label++) {
            DigitPool p = pool(mnist, config, label);
            train.addAll(p.train());
            List<Sample> pool = p.heldOut();
            if (pool.size() < config.testPerDigit() || pool.size() < config.realWorldPerDigit()) {
                throw new IllegalArgumentException("only " + pool.size() + " held-out images of digit " + p.digit()
                        + " for " + config.testPerDigit() + " test and " + config.realWorldPerDigit()
                        + " real-world images per digit");
            }
            List<Sample> testPart = pool.subList(0, config.testPerDigit());
            test.addAll(testPart);

            // Real world: unused pool images first, then test images if the pool runs short.
            List<Sample> rwPart = new ArrayList<>(pool.subList(config.testPerDigit(),
                    Math.min(pool.size(), config.testPerDigit() + config.realWorldPerDigit())));
            int deficit = config.realWorldPerDigit() - rwPart.size();
            rwPart.addAll(testPart.subList(0, deficit));
            shared += deficit;
            // Stratified random colour: half of this digit's images red, half green, shuffled.
            Collections.shuffle(rwPart, p.rng());
            for (int i = 0; i < rwPart.size(); i++) {
                realWorld.add(rwPart.get(i).withColour(i < rwPart.size() / 2 ? DigitColour.RED : DigitColour.GREEN));
            }
        }
        Random order = new Random(config.seed());
        Collections.shuffle(train, order);
        Collections.shuffle(test, order);
        Collections.shuffle(realWorld, order);
        return new Splits(new Split("colored-mnist-train", mnist, train, classNames),
                new Split("colored-mnist-test", mnist, test, classNames),
                new Split("colored-mnist-real-world", mnist, realWorld, classNames), shared);
    }

    /** Balanced splits for the audit's verdict: statistics images and probe images, disjoint. */
    public record Balanced(Split statistics, Split probe) {}

    /** Default images per digit of each balanced split (half of them red, half green). */
    public static final int BALANCED_PER_DIGIT = 250;

    /**
     * Two balanced splits for auditing a model trained on {@link #build}'s train split: in each, every
     * digit comes in red and in green equally often (colour independent of the digit, exactly), so a
     * concept's captions can only be matched by reading that concept. Both are drawn from the held-out
     * pool (never a training image) with their own random stream, and share no image with each
     * other; they may re-use test or real-world images (recoloured), which the audit does not use.
     *
     * @param statisticsPerDigit images per digit for the audit's channel statistics (even)
     * @param probePerDigit      images per digit the verdict is computed on (even)
     */
    public static Balanced balanced(Mnist mnist, Config config, int statisticsPerDigit, int probePerDigit) {
        if (statisticsPerDigit < 2 || probePerDigit < 2 || statisticsPerDigit % 2 != 0 || probePerDigit % 2 != 0) {
            throw new IllegalArgumentException("balanced splits need an even number >= 2 of images per digit (half red, half green),"
                    + " got " + statisticsPerDigit + " and " + probePerDigit);
        }
        List<Sample> statistics = new ArrayList<>();
        List<Sample> probe = new ArrayList<>();
        for (int label = 0; label < 2; label++) {
            DigitPool p = pool(mnist, config, label);
            List<Sample> pool = new ArrayList<>(p.heldOut());
            if (pool.size() < statisticsPerDigit + probePerDigit) {
                throw new IllegalArgumentException("only " + pool.size() + " held-out images of digit " + p.digit() + " for "
                        + statisticsPerDigit + " statistics and " + probePerDigit + " probe images per digit");
            }
            Random rng = new Random(config.seed() * 31 + p.digit() + BALANCED_STREAM);
            Collections.shuffle(pool, rng);
            statistics.addAll(halfRedHalfGreen(pool.subList(0, statisticsPerDigit)));
            probe.addAll(halfRedHalfGreen(pool.subList(statisticsPerDigit, statisticsPerDigit + probePerDigit)));
        }
        Random order = new Random(config.seed() + BALANCED_STREAM);
        Collections.shuffle(statistics, order);
        Collections.shuffle(probe, order);
        List<String> classNames = classNames(config);
        return new Balanced(new Split("colored-mnist-balanced-statistics", mnist, statistics, classNames),
                new Split("colored-mnist-probe", mnist, probe, classNames));
    }

    /** Offsets the balanced splits' random streams from {@link #build}'s, so that adding them changes no earlier split. */
    private static final long BALANCED_STREAM = 0x5eed_ba1aL;

    private static List<Sample> halfRedHalfGreen(List<Sample> samples) {
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            out.add(samples.get(i).withColour(i < samples.size() / 2 ? DigitColour.RED : DigitColour.GREEN));
        }
        return out;
    }

    private static List<String> classNames(Config config) {
        return List.of(String.valueOf(config.firstDigit()), String.valueOf(config.secondDigit()));
    }

    /**
     * One digit's training images and its shuffled held-out pool (the rest of MNIST train plus t10k),
     * with the random stream that drew them (build() goes on using it, so its splits stay as they were).
     */
    private record DigitPool(int digit, List<Sample> train, List<Sample> heldOut, Random rng) {}

    private static DigitPool pool(Mnist mnist, Config config, int label) {
        int digit = label == 0 ? config.firstDigit() : config.secondDigit();
        DigitColour biased = label == 0 ? DigitColour.RED : DigitColour.GREEN;
        Random rng = new Random(config.seed() * 31 + digit);
        List<Sample> fromTrain = samplesOf(mnist.train(), Source.MNIST_TRAIN, digit, label, biased);
        Collections.shuffle(fromTrain, rng);
        if (fromTrain.size() < config.trainPerDigit()) {
            throw new IllegalArgumentException("MNIST train has only " + fromTrain.size() + " images of digit "
                    + digit + ", " + config.trainPerDigit() + " requested for training");
        }
        List<Sample> pool = new ArrayList<>(fromTrain.subList(config.trainPerDigit(), fromTrain.size()));
        pool.addAll(samplesOf(mnist.test(), Source.MNIST_T10K, digit, label, biased));
        Collections.shuffle(pool, rng);
        return new DigitPool(digit, List.copyOf(fromTrain.subList(0, config.trainPerDigit())), pool, rng);
    }

    private static List<Sample> samplesOf(IdxDataset data, Source source, int digit, int label, DigitColour colour) {
        List<Sample> out = new ArrayList<>();
        for (int i : data.indicesOf(digit)) {
            out.add(new Sample(source, i, digit, label, colour));
        }
        return out;
    }
}
