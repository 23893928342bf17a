package io.capxai.evaluation;

import io.capxai.attribution.Attribution;
import io.capxai.attribution.Maps;
import io.capxai.data.Canvas.Box;

import java.util.ArrayDeque;
import java.util.List;

/**
 * Localisation metrics for a saliency map against known object boxes (real objects in synthetic
 * scenes): pointing game, box mass, and weakly supervised localisation (WSOL) MaxBoxAcc as
 * docs/method.md#localisation defines them. Maps are row-major {@code height x width}, higher = more relevant. Used by every
 * {@link Attribution} benchmark (M2IB and its baselines, ConVis).
 */
public final class Localisation {
    private Localisation() {}

    /** Hit when the map's maximum (first one in row-major order) lies inside any of {@code boxes}. */
    public static boolean pointingHit(float[] map, int width, List<Box> boxes) {
        check(map, width);
        int best = 0;
        for (int i = 1; i < map.length; i++) {
            if (map[i] > map[best]) {
                best = i;
            }
        }
        int x = best % width;
        int y = best / width;
        return boxes.stream().anyMatch(b -> b.contains(x, y));
    }

    /** Share of the map's total mass inside the union of {@code boxes} (0 for an all-zero map). */
    public static double boxMass(float[] map, int width, List<Box> boxes) {
        check(map, width);
        double inside = 0;
        double total = 0;
        for (int i = 0; i < map.length; i++) {
            int x = i % width;
            int y = i / width;
            total += map[i];
            if (boxes.stream().anyMatch(b -> b.contains(x, y))) {
                inside += map[i];
            }
        }
        return total > 0 ? inside / total : 0;
    }

    /** A box on a {@code from x from} image scaled to a {@code to x to} map (e.g. canvas to model input). */
    public static Box scale(Box box, int from, int to) {
        double s = (double) to / from;
        return new Box((int) Math.floor(box.x0() * s), (int) Math.floor(box.y0() * s),
                (int) Math.ceil(box.x1() * s), (int) Math.ceil(box.y1() * s));
    }

    /**
     * The box of the largest 4-connected component of pixels with {@code map >= threshold}, or
     * null when no pixel passes.
     */
    public static Box largestComponentBox(float[] map, int width, double threshold) {
        check(map, width);
        int height = map.length / width;
        int[] label = new int[map.length];
        int bestSize = 0;
        Box best = null;
        int next = 0;
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int start = 0; start < map.length; start++) {
            if (label[start] != 0 || map[start] < threshold) {
                continue;
            }
            next++;
            label[start] = next;
            queue.add(start);
            int size = 0, x0 = width, y0 = height, x1 = -1, y1 = -1;
            while (!queue.isEmpty()) {
                int p = queue.poll();
                int x = p % width;
                int y = p / width;
                size++;
                x0 = Math.min(x0, x);
                y0 = Math.min(y0, y);
                x1 = Math.max(x1, x);
                y1 = Math.max(y1, y);
                int[] neighbours = {x > 0 ? p - 1 : -1, x < width - 1 ? p + 1 : -1, y > 0 ? p - width : -1, y < height - 1 ? p + width : -1};
                for (int q : neighbours) {
                    if (q >= 0 && label[q] == 0 && map[q] >= threshold) {
                        label[q] = next;
                        queue.add(q);
                    }
                }
            }
            if (size > bestSize) {
                bestSize = size;
                best = new Box(x0, y0, x1 + 1, y1 + 1);
            }
        }
        return best;
    }

    /** One image for {@link #maxBoxAcc}: its map and the boxes of the objects of the concept. */
    public record Sample(float[] map, int width, List<Box> boxes) {}

    /** MaxBoxAcc and the threshold that reached it. */
    public record BoxAccuracy(double accuracy, double threshold) {}

    /**
     * WSOL MaxBoxAcc: for each threshold t = 0, 0.01, ..., 0.99, an image is a hit when the box of
     * the largest connected component of {@code map >= t} has IoU > 0.5 with one of its boxes; the
     * result is the best accuracy over t.
     */
    public static BoxAccuracy maxBoxAcc(List<Sample> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("MaxBoxAcc of no images");
        }
        BoxAccuracy best = new BoxAccuracy(-1, 0);
        for (int ti = 0; ti < 100; ti++) {
            double t = ti / 100.0;
            int hits = 0;
            for (Sample s : samples) {
                Box found = largestComponentBox(s.map(), s.width(), t);
                if (found != null && s.boxes().stream().anyMatch(b -> b.iou(found) > 0.5)) {
                    hits++;
                }
            }
            double acc = hits / (double) samples.size();
            if (acc > best.accuracy()) {
                best = new BoxAccuracy(acc, t);
            }
        }
        return best;
    }

    private static void check(float[] map, int width) {
        if (width < 1 || map.length == 0 || map.length % width != 0) {
            throw new IllegalArgumentException("a map of " + map.length + " values is not a grid of width " + width);
        }
        for (float v : map) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("the map contains NaN or infinite values");
            }
        }
    }
}
