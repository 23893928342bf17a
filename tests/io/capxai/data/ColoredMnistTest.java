package io.capxai.data;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ColoredMnistTest {
    private static Mnist mnist;
    private static final ColoredMnist.Config SMALL = ColoredMnist.Config.paper().withSizes(60, 20, 20).withSeed(7);

    @BeforeAll
    static void load() {
        mnist = Mnist.load();
    }

    private static byte[] grey(ColoredMnist.Sample s) {
        IdxDataset src = s.source() == ColoredMnist.Source.MNIST_TRAIN ? mnist.train() : mnist.test();
        assertEquals(s.digit(), src.label(s.sourceIndex()), "sample digit matches its MNIST label");
        return src.images().image(s.sourceIndex());
    }

    /** Which channels carry ink, checked against the grey source pixel by pixel. */
    private static DigitColour colourOf(ColoredMnist.Split split, int i) {
        RgbImage img = split.image(i);
        assertEquals(28, img.height());
        assertEquals(28, img.width());
        byte[] g = grey(split.sample(i));
        boolean red = true;
        boolean green = true;
        boolean greyAll = true;
        for (int p = 0; p < g.length; p++) {
            int v = g[p] & 0xff;
            int r = img.pixels()[3 * p] & 0xff;
            int gr = img.pixels()[3 * p + 1] & 0xff;
            int b = img.pixels()[3 * p + 2] & 0xff;
            red &= r == v && gr == 0 && b == 0;
            green &= r == 0 && gr == v && b == 0;
            greyAll &= r == v && gr == v && b == v;
        }
        return red ? DigitColour.RED : green ? DigitColour.GREEN : greyAll ? DigitColour.GREY : null;
    }

    @Test
    void biasedSplitsColourFivesRedAndEightsGreen() {
        ColoredMnist.Splits s = ColoredMnist.build(mnist, SMALL);
        for (ColoredMnist.Split split : List.of(s.train(), s.test())) {
            int fives = 0;
            for (int i = 0; i < split.size(); i++) {
                int digit = split.digit(i);
                assertEquals(digit == 5 ? 0 : 1, split.label(i));
                DigitColour expected = digit == 5 ? DigitColour.RED : DigitColour.GREEN;
                assertEquals(expected, colourOf(split, i), split.name() + " item " + i);
                assertEquals(expected, split.colour(i));
                fives += digit == 5 ? 1 : 0;
            }
            assertEquals(split.size() / 2, fives, "balanced digits in " + split.name());
        }
        assertEquals(120, s.train().size());
        assertEquals(40, s.test().size());
        assertEquals(List.of("5", "8"), s.train().classNames());
    }

    @Test
    void realWorldColourIsIndependentOfTheDigit() {
        ColoredMnist.Splits s = ColoredMnist.build(mnist, SMALL);
        int[][] counts = new int[2][2]; // [digit label][red=0 / green=1]
        for (int i = 0; i < s.realWorld().size(); i++) {
            DigitColour c = colourOf(s.realWorld(), i);
            assertTrue(c == DigitColour.RED || c == DigitColour.GREEN);
            assertEquals(c, s.realWorld().colour(i));
            counts[s.realWorld().label(i)][c == DigitColour.RED ? 0 : 1]++;
        }
        // every digit appears in both colours, half and half: chi-square of independence is 0
        for (int[] row : counts) {
            assertEquals(10, row[0]);
            assertEquals(10, row[1]);
        }
    }

    @Test
    void greyCopiesIntensityToAllChannels() {
        ColoredMnist.Splits grey = ColoredMnist.build(mnist, SMALL).grey();
        for (ColoredMnist.Split split : List.of(grey.train(), grey.test(), grey.realWorld())) {
            for (int i = 0; i < split.size(); i += 7) {
                assertEquals(DigitColour.GREY, colourOf(split, i));
            }
        }
    }

    @Test
    void sameSeedSameSplitsOtherSeedOtherSplits() {
        ColoredMnist.Splits a = ColoredMnist.build(mnist, SMALL);
        ColoredMnist.Splits b = ColoredMnist.build(mnist, SMALL);
        ColoredMnist.Splits c = ColoredMnist.build(mnist, SMALL.withSeed(8));
        assertEquals(a.train().samples(), b.train().samples());
        assertEquals(a.test().samples(), b.test().samples());
        assertEquals(a.realWorld().samples(), b.realWorld().samples());
        assertNotEquals(a.train().samples(), c.train().samples());
        assertNotEquals(a.realWorld().samples(), c.realWorld().samples());
    }

    private static Set<String> sources(ColoredMnist.Split split) {
        Set<String> out = new HashSet<>();
        for (ColoredMnist.Sample s : split.samples()) {
            assertTrue(out.add(s.source() + ":" + s.sourceIndex()), "duplicate image in " + split.name());
        }
        return out;
    }

    @Test
    void smallSplitsAreFullyDisjoint() {
        ColoredMnist.Splits s = ColoredMnist.build(mnist, SMALL);
        Set<String> train = sources(s.train());
        Set<String> test = sources(s.test());
        Set<String> rw = sources(s.realWorld());
        assertTrue(s.train().samples().stream().allMatch(x -> x.source() == ColoredMnist.Source.MNIST_TRAIN));
        assertTrue(java.util.Collections.disjoint(train, test));
        assertTrue(java.util.Collections.disjoint(train, rw));
        assertTrue(java.util.Collections.disjoint(test, rw));
        assertEquals(0, s.realWorldSharedWithTest());
    }

    @Test
    void paperSizesKeepTrainDisjointAndReportTheSharedShortfall() {
        ColoredMnist.Splits s = ColoredMnist.build(mnist, ColoredMnist.Config.paper());
        assertEquals(10000, s.train().size());
        assertEquals(2000, s.test().size());
        assertEquals(2000, s.realWorld().size());
        Set<String> train = sources(s.train());
        Set<String> test = sources(s.test());
        Set<String> rw = sources(s.realWorld());
        assertTrue(java.util.Collections.disjoint(train, test));
        assertTrue(java.util.Collections.disjoint(train, rw));
        // MNIST has 5421 + 892 fives: 1313 held out for 2 x 1000; eights 5851 + 974: 1825 for 2 x 1000
        int expectedShared = (2000 - 1313) + (2000 - 1825);
        assertEquals(expectedShared, s.realWorldSharedWithTest());
        Set<String> shared = new HashSet<>(test);
        shared.retainAll(rw);
        assertEquals(expectedShared, shared.size());
    }

    @Test
    void impossibleSizesAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> ColoredMnist.build(mnist, ColoredMnist.Config.paper().withSizes(6000, 10, 10)));
        assertThrows(IllegalArgumentException.class,
                () -> ColoredMnist.build(mnist, ColoredMnist.Config.paper().withSizes(5000, 1500, 10)));
        assertThrows(IllegalArgumentException.class, () -> ColoredMnist.Config.paper().withSizes(10, 10, 11));
        assertThrows(IllegalArgumentException.class, () -> new ColoredMnist.Config(5, 5, 1, 1, 2, 0));
    }

    @Test
    void balancedSplitsHaveEveryDigitInEveryColourAndShareNoImage() {
        ColoredMnist.Splits s = ColoredMnist.build(mnist, SMALL);
        ColoredMnist.Balanced b = ColoredMnist.balanced(mnist, SMALL, 12, 8);
        assertEquals(24, b.statistics().size());
        assertEquals(16, b.probe().size());
        for (ColoredMnist.Split split : List.of(b.statistics(), b.probe())) {
            int[][] cells = new int[2][2];
            for (int i = 0; i < split.size(); i++) {
                DigitColour c = colourOf(split, i);
                assertTrue(c == DigitColour.RED || c == DigitColour.GREEN, split.name() + " item " + i + " is " + c);
                cells[split.label(i)][c == DigitColour.RED ? 0 : 1]++;
            }
            int half = split.size() / 4;
            assertEquals(List.of(half, half, half, half), List.of(cells[0][0], cells[0][1], cells[1][0], cells[1][1]),
                    split.name() + ": digit x colour cells");
        }
        Set<String> train = ids(s.train());
        Set<String> statistics = ids(b.statistics());
        Set<String> probe = ids(b.probe());
        assertEquals(24, statistics.size(), "no image twice");
        assertTrue(statistics.stream().noneMatch(probe::contains), "statistics and probe share no image");
        assertTrue(statistics.stream().noneMatch(train::contains) && probe.stream().noneMatch(train::contains),
                "no training image");
        assertEquals(ids(b.probe()), ids(ColoredMnist.balanced(mnist, SMALL, 12, 8).probe()), "same seed, same probe");
        assertNotEquals(ids(b.probe()), ids(ColoredMnist.balanced(mnist, SMALL.withSeed(8), 12, 8).probe()));
        assertThrows(IllegalArgumentException.class, () -> ColoredMnist.balanced(mnist, SMALL, 3, 8));
    }

    private static Set<String> ids(ColoredMnist.Split split) {
        Set<String> out = new HashSet<>();
        for (ColoredMnist.Sample x : split.samples()) {
            out.add(x.source() + ":" + x.sourceIndex());
        }
        return out;
    }
}
