package io.capxai.attribution;

import io.capxai.data.Canvas.Box;

/** Where a map puts its relevance, against a known object box (pixel coordinates of the map). */
public final class Localisation {
    private Localisation() {}

    /** Pointing game: is the map's maximum (the first one in row-major order on ties) inside the box? */
    public static boolean pointingHit(float[] map, int height, int width, Box box) {
        check(map, height, width);
        int best = 0;
        for (int i = 1; i < map.length; i++) {
            if (map[i] > map[best]) {
                best = i;
            }
        }
        return box.contains(best % width, best / width);
    }

    /** Share of the map's total relevance that lies inside the box (0 for an all-zero map). */
    public static double boxMass(float[] map, int height, int width, Box box) {
        check(map, height, width);
        double inside = 0;
        double total = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double v = map[y * width + x];
                total += v;
                if (box.contains(x, y)) {
                    inside += v;
                }
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

    private static void check(float[] map, int height, int width) {
        if (height < 1 || width < 1 || map.length != height * width) {
            throw new IllegalArgumentException("map of " + map.length + " values is not " + height + "x" + width);
        }
        for (float v : map) {
            if (Float.isNaN(v)) {
                throw new IllegalArgumentException("map contains NaN");
            }
        }
    }
}
