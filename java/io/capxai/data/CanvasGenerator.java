package io.capxai.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Makes {@link Canvas}es: {@code minItems..maxItems} items from a grey IDX dataset, each scaled by
 * an integer factor (nearest neighbour, so masks stay exact), coloured red, green or grey, pasted
 * at random positions whose patches do not overlap. Seeded: canvas {@code i} of a generator is
 * always the same.
 */
public final class CanvasGenerator {
    /** Colouring of the pasted items: all grey, or red/green chosen at random per item. */
    public enum Colouring { GREY, RANDOM_RED_GREEN }

    private final IdxDataset source;
    private final List<String> classNames;
    private final int canvasSize;
    private final int scale;
    private final int minItems;
    private final int maxItems;
    private final Colouring colouring;
    private final long seed;

    public CanvasGenerator(IdxDataset source, List<String> classNames, int canvasSize, int scale, int minItems,
                           int maxItems, Colouring colouring, long seed) {
        if (source.size() == 0) {
            throw new IllegalArgumentException("source dataset " + source.name() + " is empty");
        }
        if (scale < 1 || minItems < 1 || maxItems < minItems) {
            throw new IllegalArgumentException("need scale >= 1 and 1 <= minItems <= maxItems, got scale " + scale
                    + ", items " + minItems + ".." + maxItems);
        }
        int patch = source.images().rows() * scale;
        int perSide = canvasSize / Math.max(patch, source.images().cols() * scale);
        if (perSide * perSide < maxItems) {
            throw new IllegalArgumentException(maxItems + " patches of " + patch + " px cannot be guaranteed to fit "
                    + "without overlap on a " + canvasSize + " px canvas");
        }
        this.source = source;
        this.classNames = List.copyOf(classNames);
        this.canvasSize = canvasSize;
        this.scale = scale;
        this.minItems = minItems;
        this.maxItems = maxItems;
        this.colouring = colouring;
        this.seed = seed;
    }

    /** Digits from MNIST t10k (class names "0".."9"). */
    public static CanvasGenerator mnist(Mnist mnist, int canvasSize, int scale, Colouring colouring, long seed) {
        return new CanvasGenerator(mnist.test(), List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
                canvasSize, scale, 2, 3, colouring, seed);
    }

    /** Clothing from Fashion-MNIST t10k. */
    public static CanvasGenerator fashion(FashionMnist fashion, int canvasSize, int scale, Colouring colouring, long seed) {
        return new CanvasGenerator(fashion.test(), FashionMnist.CLASS_NAMES, canvasSize, scale, 2, 3, colouring, seed);
    }

    /** Canvas number {@code i}. */
    public Canvas canvas(int i) {
        Random rng = new Random(seed * 1_000_003L + i);
        int count = minItems + rng.nextInt(maxItems - minItems + 1);
        int ph = source.images().rows() * scale;
        int pw = source.images().cols() * scale;
        RgbImage image = RgbImage.black(canvasSize, canvasSize);
        List<Canvas.Box> patches = placePatches(rng, count, ph, pw);
        List<Canvas.Item> items = new ArrayList<>();
        for (Canvas.Box patch : patches) {
            int idx = rng.nextInt(source.size());
            DigitColour colour = switch (colouring) {
                case GREY -> DigitColour.GREY;
                case RANDOM_RED_GREEN -> rng.nextBoolean() ? DigitColour.RED : DigitColour.GREEN;
            };
            items.add(paste(image, patch, idx, colour));
        }
        return new Canvas(image, List.copyOf(items));
    }

    /** Rejection sampling; the constructor checked that a grid of patches fits, so fall back to it. */
    private List<Canvas.Box> placePatches(Random rng, int count, int ph, int pw) {
        for (int attempt = 0; attempt < 1000; attempt++) {
            List<Canvas.Box> boxes = new ArrayList<>();
            for (int k = 0; k < count && boxes.size() == k; k++) {
                for (int tries = 0; tries < 50; tries++) {
                    int x = rng.nextInt(canvasSize - pw + 1);
                    int y = rng.nextInt(canvasSize - ph + 1);
                    Canvas.Box b = new Canvas.Box(x, y, x + pw, y + ph);
                    if (boxes.stream().noneMatch(b::intersects)) {
                        boxes.add(b);
                        break;
                    }
                }
            }
            if (boxes.size() == count) {
                return boxes;
            }
        }
        throw new IllegalStateException("could not place " + count + " patches of " + pw + "x" + ph
                + " on a " + canvasSize + " canvas");
    }

    private Canvas.Item paste(RgbImage image, Canvas.Box patch, int idx, DigitColour colour) {
        IdxImages imgs = source.images();
        boolean[] mask = new boolean[canvasSize * canvasSize];
        int minX = Integer.MAX_VALUE;
        int minY = Integer.MAX_VALUE;
        int maxX = -1;
        int maxY = -1;
        for (int y = 0; y < patch.height(); y++) {
            for (int x = 0; x < patch.width(); x++) {
                int v = imgs.pixel(idx, y / scale, x / scale);
                if (v == 0) {
                    continue;
                }
                int cx = patch.x0() + x;
                int cy = patch.y0() + y;
                colour.paint(image.pixels(), cy * canvasSize + cx, (byte) v);
                mask[cy * canvasSize + cx] = true;
                minX = Math.min(minX, cx);
                minY = Math.min(minY, cy);
                maxX = Math.max(maxX, cx);
                maxY = Math.max(maxY, cy);
            }
        }
        Canvas.Box box = maxX < 0 ? new Canvas.Box(patch.x0(), patch.y0(), patch.x0(), patch.y0())
                : new Canvas.Box(minX, minY, maxX + 1, maxY + 1);
        int cls = source.label(idx);
        String name = cls < classNames.size() ? classNames.get(cls) : String.valueOf(cls);
        return new Canvas.Item(patch, box, mask, cls, name, colour, idx);
    }
}
