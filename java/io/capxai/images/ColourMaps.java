package io.capxai.images;

/** The colour maps of the project's pictures. */
public final class ColourMaps {
    private ColourMaps() {}

    /** A colour map: a value to a packed {@code 0xRRGGBB}. */
    @FunctionalInterface
    public interface ColourMap {
        int rgb(float v);
    }

    /** v in [0, 1] (clipped) -> black .. red .. yellow .. white: stand-alone saliency maps (ConVis). */
    public static int heat(float v) {
        float c = Math.clamp(v, 0f, 1f);
        int r = (int) (255 * Math.min(1, 3 * c));
        int g = (int) (255 * Math.clamp(3 * c - 1, 0f, 1f));
        int b = (int) (255 * Math.clamp(3 * c - 2, 0f, 1f));
        return (r << 16) | (g << 8) | b;
    }

    /** v in [0, 1] (clipped) -> black .. red .. yellow: a map laid over an image ({@link Images#overlay}). */
    public static int redYellow(float v) {
        float c = Math.clamp(v, 0f, 1f);
        return (Math.round(255 * Math.min(1, 2 * c)) << 16) | (Math.round(255 * Math.max(0, 2 * c - 1)) << 8);
    }

    /** t in [-1, 1] (clipped) -> blue .. white .. red, symmetric around 0; NaN -> grey. */
    public static int diverging(double t) {
        if (Double.isNaN(t)) {
            return 0x999999;
        }
        double a = Math.min(1, Math.abs(t));
        int[] end = t >= 0 ? new int[] {178, 24, 43} : new int[] {33, 102, 172};
        int r = (int) Math.round(255 + (end[0] - 255) * a);
        int g = (int) Math.round(255 + (end[1] - 255) * a);
        int b = (int) Math.round(255 + (end[2] - 255) * a);
        return (r << 16) | (g << 8) | b;
    }
}
