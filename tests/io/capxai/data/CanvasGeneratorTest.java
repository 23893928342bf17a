package io.capxai.data;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CanvasGeneratorTest {
    private static void checkCanvas(Canvas canvas, IdxDataset source, int size, int scale, List<String> names) {
        RgbImage img = canvas.image();
        assertEquals(size, img.height());
        assertTrue(canvas.items().size() >= 2 && canvas.items().size() <= 3);
        boolean[] anyMask = new boolean[size * size];
        for (int a = 0; a < canvas.items().size(); a++) {
            Canvas.Item item = canvas.items().get(a);
            assertEquals(28 * scale, item.patch().width());
            assertTrue(item.patch().x0() >= 0 && item.patch().x1() <= size && item.patch().y1() <= size);
            for (int b = a + 1; b < canvas.items().size(); b++) {
                assertFalse(item.patch().intersects(canvas.items().get(b).patch()), "patches overlap");
            }
            assertEquals(source.label(item.sourceIndex()), item.classId());
            assertEquals(names.get(item.classId()), item.className());
            // mask = the item's non-zero source pixels, placed; box = tight box of the mask
            int minX = size, minY = size, maxX = -1, maxY = -1;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    boolean inPatch = item.patch().contains(x, y);
                    int v = inPatch ? source.images().pixel(item.sourceIndex(), (y - item.patch().y0()) / scale,
                            (x - item.patch().x0()) / scale) : 0;
                    assertEquals(v != 0, item.mask()[y * size + x]);
                    if (v != 0) {
                        anyMask[y * size + x] = true;
                        minX = Math.min(minX, x);
                        minY = Math.min(minY, y);
                        maxX = Math.max(maxX, x);
                        maxY = Math.max(maxY, y);
                        int[] rgb = {img.get(y, x, 0), img.get(y, x, 1), img.get(y, x, 2)};
                        int[] expected = switch (item.colour()) {
                            case RED -> new int[] {v, 0, 0};
                            case GREEN -> new int[] {0, v, 0};
                            case GREY -> new int[] {v, v, v};
                        };
                        assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(rgb));
                    }
                }
            }
            assertEquals(new Canvas.Box(minX, minY, maxX + 1, maxY + 1), item.box());
            assertTrue(item.maskArea() > 0);
        }
        // background black everywhere outside the items
        for (int p = 0; p < size * size; p++) {
            if (!anyMask[p]) {
                int y = p / size;
                int x = p % size;
                assertEquals(0, img.get(y, x, 0) + img.get(y, x, 1) + img.get(y, x, 2));
            }
        }
    }

    @Test
    void mnistCanvasesHaveExactBoxesAndMasks() {
        Mnist m = Mnist.load();
        CanvasGenerator gen = CanvasGenerator.mnist(m, 112, 1, CanvasGenerator.Colouring.RANDOM_RED_GREEN, 3);
        List<String> names = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        for (int i = 0; i < 5; i++) {
            checkCanvas(gen.canvas(i), m.test(), 112, 1, names);
        }
        // seeded: the same canvas again, a different one for another index
        assertEquals(gen.canvas(2).items().get(0).box(), gen.canvas(2).items().get(0).box());
        assertFalse(java.util.Arrays.equals(gen.canvas(2).image().pixels(), gen.canvas(3).image().pixels()));
    }

    @Test
    void fashionCanvasesScaledAndGrey() {
        FashionMnist f = io.capxai.testing.Requirements.fetched(FashionMnist::load);
        CanvasGenerator gen = CanvasGenerator.fashion(f, 224, 2, CanvasGenerator.Colouring.GREY, 5);
        for (int i = 0; i < 3; i++) {
            Canvas c = gen.canvas(i);
            checkCanvas(c, f.test(), 224, 2, FashionMnist.CLASS_NAMES);
            assertTrue(c.items().stream().allMatch(it -> it.colour() == DigitColour.GREY));
        }
    }

    @Test
    void impossibleLayoutsAreRejected() {
        Mnist m = Mnist.load();
        assertThrows(IllegalArgumentException.class,
                () -> CanvasGenerator.mnist(m, 50, 1, CanvasGenerator.Colouring.GREY, 0)); // 3 patches of 28 in 50
        assertThrows(IllegalArgumentException.class, () -> new CanvasGenerator(m.test(), List.of(), 112, 0, 2, 3,
                CanvasGenerator.Colouring.GREY, 0));
    }

    @Test
    void boxGeometry() {
        Canvas.Box a = new Canvas.Box(0, 0, 10, 10);
        Canvas.Box b = new Canvas.Box(5, 5, 15, 15);
        assertEquals(25.0 / 175.0, a.iou(b), 1e-12);
        assertTrue(a.intersects(b));
        assertFalse(a.intersects(new Canvas.Box(10, 0, 20, 10)));
        assertThrows(IllegalArgumentException.class, () -> new Canvas.Box(5, 0, 4, 1));
    }
}
