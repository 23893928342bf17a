package io.capxai.training;

import io.capxai.data.IdxDataset;
import io.capxai.data.RgbImage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Captioned training images for the CLIP-style model: an MNIST digit (all ten) or a Fashion-MNIST item,
 * drawn in a palette colour on a black canvas, with a templated caption. Source (digit or clothing),
 * item, colour and template are drawn independently, so colour never predicts the class nor the
 * reverse. Three quarters of the images show one item: half of them the item alone (28x28, as
 * colored MNIST shows a digit), the rest on a canvas up to 1.5x larger at a random place. The other
 * quarter are scenes: two or three items, each in its own colour, in separate quadrants of a 64x64
 * canvas, with a caption about one of them, as a web caption names one object of a photo. Scenes
 * teach the model that an image can hold several things, which the explanation benchmarks ask.
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
    /** Scene side: a 2x2 grid of 32-pixel quadrants, one item (28 px, jittered by up to 4 px) in each used quadrant. */
    static final int SCENE = 64;
    static final double SCENE_SHARE = 0.25;

    /**
     * One training pair. {@code digit}, {@code classId} and {@code colour} describe the item the
     * caption is about; {@code items} is how many items the image shows (1, or 2-3 in a scene).
     */
    public record Item(RgbImage image, String caption, boolean digit, int classId, Palette colour, int items) {
    }

    /** An item drawn from the sources: which dataset, image, class and colour. */
    private record Drawn(boolean digit, byte[] grey, int classId, Palette colour) {
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
        if (random.nextDouble() < SCENE_SHARE) {
            return scene(random);
        }
        Drawn d = draw(random);
        RgbImage image = render(d.grey(), d.colour(), random);
        return new Item(image, caption(d, random), d.digit(), d.classId(), d.colour(), 1);
    }

    /** Two or three items in distinct quadrants of a {@link #SCENE}-pixel canvas; the caption names the first. */
    private Item scene(Random random) {
        RgbImage canvas = RgbImage.black(SCENE, SCENE);
        List<Integer> quadrants = new ArrayList<>(List.of(0, 1, 2, 3));
        Collections.shuffle(quadrants, random);
        int count = 2 + random.nextInt(2);
        Drawn named = null;
        for (int k = 0; k < count; k++) {
            Drawn d = draw(random);
            int q = quadrants.get(k);
            paint(canvas, d.grey(), d.colour(), (q / 2) * SCENE / 2 + random.nextInt(5), (q % 2) * SCENE / 2 + random.nextInt(5));
            named = named == null ? d : named;
        }
        return new Item(canvas, caption(named, random), named.digit(), named.classId(), named.colour(), count);
    }

    private Drawn draw(Random random) {
        boolean digit = fashion == null || random.nextBoolean();
        IdxDataset source = digit ? digits : fashion;
        int index = random.nextInt(source.size());
        Palette colour = Palette.COLOURS.get(random.nextInt(Palette.COLOURS.size()));
        return new Drawn(digit, source.images().image(index), source.label(index), colour);
    }

    private String caption(Drawn d, Random random) {
        return d.digit() ? digitCaption(d.classId(), d.colour(), random) : fashionCaption(d.classId(), d.colour(), random);
    }

    /** {@code grey} (28x28) coloured by {@code colour} on a black canvas of random size at a random place. */
    static RgbImage render(byte[] grey, Palette colour, Random random) {
        int side = random.nextBoolean() ? ITEM : ITEM + random.nextInt(MAX_CANVAS - ITEM + 1);
        RgbImage canvas = RgbImage.black(side, side);
        paint(canvas, grey, colour, random.nextInt(side - ITEM + 1), random.nextInt(side - ITEM + 1));
        return canvas;
    }

    private static void paint(RgbImage canvas, byte[] grey, Palette colour, int top, int left) {
        double[] gain = colour.rgb();
        for (int y = 0; y < ITEM; y++) {
            for (int x = 0; x < ITEM; x++) {
                int v = grey[y * ITEM + x] & 0xff;
                for (int c = 0; c < 3; c++) {
                    canvas.set(top + y, left + x, c, (int) Math.round(v * gain[c]));
                }
            }
        }
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
