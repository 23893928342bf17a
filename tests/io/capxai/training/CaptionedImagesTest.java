package io.capxai.training;

import io.capxai.data.FashionMnist;
import io.capxai.data.Mnist;
import io.capxai.testing.Requirements;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CaptionedImagesTest {
    private static final int N = 8000;

    @Test
    void colourAndClassAreIndependent() {
        CaptionedImages data = new CaptionedImages(Mnist.load().train(), Requirements.fetched(FashionMnist::load).train());
        Random random = new Random(7);
        int colours = Palette.COLOURS.size();
        int[][] counts = new int[20][colours]; // digit classes 0..9, clothing 10..19
        for (int i = 0; i < N; i++) {
            CaptionedImages.Item item = data.next(random);
            counts[(item.digit() ? 0 : 10) + item.classId()][Palette.COLOURS.indexOf(item.colour())]++;
        }
        // chi-square test of independence between class and colour (19 x 7 = 133 degrees of freedom)
        double chi2 = 0;
        int[] rowSum = new int[20];
        int[] colSum = new int[colours];
        for (int r = 0; r < 20; r++) {
            for (int c = 0; c < colours; c++) {
                rowSum[r] += counts[r][c];
                colSum[c] += counts[r][c];
            }
        }
        for (int r = 0; r < 20; r++) {
            for (int c = 0; c < colours; c++) {
                double expected = (double) rowSum[r] * colSum[c] / N;
                chi2 += (counts[r][c] - expected) * (counts[r][c] - expected) / expected;
            }
        }
        // the 99.9 % quantile of chi-square(133) is about 187; a colour tied to a class gives thousands
        assertTrue(chi2 < 187, "chi2 = " + chi2);
        for (int[] row : counts) {
            for (int n : row) {
                assertTrue(n > 0, "a class never appears in some colour");
            }
        }
    }

    @Test
    void captionsSayWhatTheImageShows() {
        CaptionedImages data = new CaptionedImages(Mnist.load().train(), Requirements.fetched(FashionMnist::load).train());
        Random random = new Random(11);
        for (int i = 0; i < 2000; i++) {
            CaptionedImages.Item item = data.next(random);
            String caption = item.caption();
            for (Palette other : Palette.COLOURS) {
                if (caption.contains(" " + other.name() + " ")) {
                    assertEquals(item.colour(), other, caption);
                }
            }
            if (item.digit() && caption.contains("value")) {
                assertTrue(caption.endsWith("value " + item.classId() + "."), caption);
            }
            if (item.items() > 1) {
                assertEquals(CaptionedImages.SCENE, item.image().width());
                continue; // a scene's other items have their own colours
            }
            // pixels only where the colour has a channel (red: channel 0 only)
            double[] gain = item.colour().rgb();
            byte[] px = item.image().pixels();
            for (int p = 0; p < px.length; p++) {
                if (gain[p % 3] == 0) {
                    assertEquals(0, px[p], "channel " + p % 3 + " of a " + item.colour().name() + " item");
                }
            }
        }
    }

    @Test
    void aQuarterOfTheImagesAreScenesOfTwoOrThreeItems() {
        CaptionedImages data = new CaptionedImages(Mnist.load().train(), Requirements.fetched(FashionMnist::load).train());
        Random random = new Random(5);
        int scenes = 0;
        int[] byCount = new int[4];
        for (int i = 0; i < 4000; i++) {
            CaptionedImages.Item item = data.next(random);
            byCount[item.items()]++;
            if (item.items() > 1) {
                scenes++;
                // items sit in distinct quadrants: lit pixels in at least as many quadrants as items
                // minus those whose item happens to be nearly empty (none are, in MNIST/Fashion-MNIST)
                int lit = 0;
                for (int q = 0; q < 4; q++) {
                    lit += quadrantHasInk(item.image(), q) ? 1 : 0;
                }
                assertEquals(item.items(), lit, "quadrants with ink");
            }
        }
        assertEquals(0.25, scenes / 4000.0, 0.03);
        assertTrue(byCount[2] > 300 && byCount[3] > 300, java.util.Arrays.toString(byCount));
    }

    private static boolean quadrantHasInk(io.capxai.data.RgbImage image, int q) {
        int half = CaptionedImages.SCENE / 2;
        for (int y = (q / 2) * half; y < (q / 2 + 1) * half; y++) {
            for (int x = (q % 2) * half; x < (q % 2 + 1) * half; x++) {
                for (int c = 0; c < 3; c++) {
                    if (image.get(y, x, c) > 0) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    @Test
    void clothingCaptionsUseWordNet() {
        CaptionedImages data = new CaptionedImages(Mnist.load().train(), Requirements.fetched(FashionMnist::load).train());
        Random random = new Random(3);
        Set<String> sandalCaptions = new HashSet<>();
        Set<String> all = new HashSet<>();
        for (int i = 0; i < 6000; i++) {
            CaptionedImages.Item item = data.next(random);
            all.add(item.caption());
            if (!item.digit() && item.classId() == 5) {
                sandalCaptions.add(item.caption());
            }
        }
        assertTrue(sandalCaptions.contains("a shoe consisting of a sole fastened by straps to the foot"), sandalCaptions.toString());
        assertTrue(sandalCaptions.contains("a photo of a footwear."), sandalCaptions.toString());
        assertTrue(all.contains("a photo of a gym shoe.") || all.contains("a photo of a tennis shoe."));
        assertTrue(all.contains("a photo of a garment."));
        assertTrue(all.contains("a photo of a red digit.") && all.contains("a photo of a digit with the value 5."));

        List<FashionConcepts.ClassWords> words = FashionConcepts.load();
        assertEquals(10, words.size());
        assertTrue(words.get(9).hypernyms().contains("footwear"), words.get(9).toString());
        assertTrue(words.get(1).gloss().startsWith("a garment extending from the waist"), words.get(1).gloss());
        for (FashionConcepts.ClassWords w : words) {
            assertTrue(!w.lemmas().isEmpty() && !w.hypernyms().isEmpty() && !w.gloss().isBlank(), w.toString());
        }
    }
}
