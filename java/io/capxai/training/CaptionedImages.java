package io.capxai.training;

import io.capxai.data.IdxDataset;
import io.capxai.data.RgbImage;

import java.util.List;
import java.util.Random;

/**
 * Captioned training images for the CLIP-style model: an MNIST digit (all ten) or a Fashion-MNIST item,
 * drawn in a palette colour on a black canvas, with a templated caption. Source (digit or clothing),
 * item, colour and template are drawn independently, so colour never predicts the class nor the
 * reverse. Half of the canvases are the item alone (28x28, as colored MNIST shows a digit); the rest
 * are up to 1.5x larger with the item at a random place.
 *
 * <p>Captions name the colour, the class or both ("a photo of a red digit.", "a photo of a digit
 * with the value 5.", "a photo of a green sandal."), and for clothing also WordNet's words: the
 * class's lemmas, its hypernyms' lemmas ("a photo of a footwear.") and its gloss, alone, as
 * ConVis encodes definitions.
 */
public final class CaptionedImages {
    /** Number words for digit captions ("a photo of the number five."). */
    static final List<String> NUMBER_WORDS = List.of("zero", "one", "two", "three", "four", "five", "six", "seven",
            "eight", "nine");
    private static final int ITEM = 28;
    private static final int MAX_CANVAS = 42;

    /** One training pair, with what it shows (for tests and per-class checks). */
    public record Item(RgbImage image, String caption, boolean digit, int classId, Palette colour) {
    }

    private final IdxDataset digits;
    private final IdxDataset fashion;
    private final List<FashionConcepts.ClassWords> fashionWords;

    /**
     * @param digits  MNIST images (labels 0..9), e.g. MNIST train
     * @param fashion Fashion-MNIST images (labels 0..9), e.g. its train split; null for digits only
     */
    public CaptionedImages(IdxDataset digits, IdxDataset fashion) {
        this.digits = digits;
        this.fashion = fashion;
        this.fashionWords = fashion == null ? List.of() : FashionConcepts.load();
    }

    /** A fresh random pair. */
    public Item next(Random random) {
        boolean digit = fashion == null || random.nextBoolean();
        IdxDataset source = digit ? digits : fashion;
        int index = random.nextInt(source.size());
        int classId = source.label(index);
        Palette colour = Palette.COLOURS.get(random.nextInt(Palette.COLOURS.size()));
        RgbImage image = render(source.images().image(index), colour, random);
        String caption = digit ? digitCaption(classId, colour, random) : fashionCaption(classId, colour, random);
        return new Item(image, caption, digit, classId, colour);
    }

    /** {@code grey} (28x28) coloured by {@code colour} on a black canvas of random size at a random place. */
    static RgbImage render(byte[] grey, Palette colour, Random random) {
        int side = random.nextBoolean() ? ITEM : ITEM + random.nextInt(MAX_CANVAS - ITEM + 1);
        int top = random.nextInt(side - ITEM + 1);
        int left = random.nextInt(side - ITEM + 1);
        RgbImage canvas = RgbImage.black(side, side);
        double[] gain = colour.rgb();
        for (int y = 0; y < ITEM; y++) {
            for (int x = 0; x < ITEM; x++) {
                int v = grey[y * ITEM + x] & 0xff;
                for (int c = 0; c < 3; c++) {
                    canvas.set(top + y, left + x, c, (int) Math.round(v * gain[c]));
                }
            }
        }
        return canvas;
    }

    static String digitCaption(int value, Palette colour, Random random) {
        String c = colour.name();
        return switch (random.nextInt(10)) {
            case 0, 1, 2 -> "a photo of a " + c + " digit.";
            case 3, 4, 5 -> "a photo of a digit with the value " + value + ".";
            case 6, 7 -> "a photo of a " + c + " digit with the value " + value + ".";
            case 8 -> "a photo of the number " + NUMBER_WORDS.get(value) + ".";
            default -> "a photo of a " + c + " " + NUMBER_WORDS.get(value) + ".";
        };
    }

    String fashionCaption(int classId, Palette colour, Random random) {
        FashionConcepts.ClassWords w = fashionWords.get(classId);
        String c = colour.name();
        return switch (random.nextInt(10)) {
            case 0, 1, 2 -> "a photo of a " + c + " " + w.captionName() + ".";
            case 3, 4 -> "a photo of a " + w.captionName() + ".";
            case 5 -> "a photo of a " + c + " " + pick(w.lemmas(), random) + ".";
            case 6 -> "a photo of a " + pick(w.lemmas(), random) + ".";
            case 7 -> "a photo of a " + c + " " + pick(w.hypernyms(), random) + ".";
            case 8 -> "a photo of a " + pick(w.hypernyms(), random) + ".";
            default -> w.gloss();
        };
    }

    private static String pick(List<String> words, Random random) {
        if (words.isEmpty()) {
            throw new IllegalStateException("a Fashion-MNIST class has no WordNet words of this kind");
        }
        return words.get(random.nextInt(words.size())).toLowerCase(java.util.Locale.ROOT);
    }
}
