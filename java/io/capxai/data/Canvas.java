package io.capxai.data;

import java.util.List;

/**
 * Real objects in a synthetic scene: a black canvas with a few MNIST / Fashion-MNIST items
 * pasted at non-overlapping positions, with the exact box and mask of each
 * (for localisation metrics: pointing game, box mass, IoU).
 */
public record Canvas(RgbImage image, List<Item> items) {

    /** Pixel box, {@code x0, y0} inclusive, {@code x1, y1} exclusive. */
    public record Box(int x0, int y0, int x1, int y1) {
        public Box {
            if (x1 < x0 || y1 < y0) {
                throw new IllegalArgumentException("empty or inverted box " + x0 + "," + y0 + " - " + x1 + "," + y1);
            }
        }

        public int width() {
            return x1 - x0;
        }

        public int height() {
            return y1 - y0;
        }

        public int area() {
            return width() * height();
        }

        public boolean contains(int x, int y) {
            return x >= x0 && x < x1 && y >= y0 && y < y1;
        }

        public boolean intersects(Box o) {
            return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1;
        }

        public double iou(Box o) {
            int ix = Math.max(0, Math.min(x1, o.x1) - Math.max(x0, o.x0));
            int iy = Math.max(0, Math.min(y1, o.y1) - Math.max(y0, o.y0));
            double inter = (double) ix * iy;
            double union = area() + o.area() - inter;
            return union == 0 ? 0 : inter / union;
        }
    }

    /**
     * One pasted item.
     *
     * @param patch     where the whole (scaled) 28x28 patch was pasted
     * @param box       the tight box of the item's non-zero pixels (the object itself)
     * @param mask      canvas-sized, row-major: true where the item's pixel is non-zero
     * @param classId   class in the source dataset (digit, or Fashion-MNIST class)
     * @param className e.g. "5" or "Ankle boot"
     * @param colour    how it was drawn
     * @param sourceIndex index of the item in its source split
     */
    public record Item(Box patch, Box box, boolean[] mask, int classId, String className, DigitColour colour,
                       int sourceIndex) {
        public int maskArea() {
            int n = 0;
            for (boolean b : mask) {
                if (b) {
                    n++;
                }
            }
            return n;
        }
    }
}
