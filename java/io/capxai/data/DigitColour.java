package io.capxai.data;

/** How a grey digit is put into RGB: one channel (red, green) or all three (grey). */
public enum DigitColour {
    RED, GREEN, GREY;

    /** Writes grey intensity {@code v} (0..255) as this colour into {@code rgb} at pixel {@code p}. */
    void paint(byte[] rgb, int p, byte v) {
        switch (this) {
            case RED -> rgb[3 * p] = v;
            case GREEN -> rgb[3 * p + 1] = v;
            case GREY -> {
                rgb[3 * p] = v;
                rgb[3 * p + 1] = v;
                rgb[3 * p + 2] = v;
            }
        }
    }

    /** A grey image coloured this way on a black background. */
    public RgbImage colour(int height, int width, byte[] grey) {
        if (grey.length != height * width) {
            throw new IllegalArgumentException("grey image " + height + "x" + width + " needs " + height * width
                    + " bytes, got " + grey.length);
        }
        byte[] rgb = new byte[grey.length * 3];
        for (int p = 0; p < grey.length; p++) {
            paint(rgb, p, grey[p]);
        }
        return new RgbImage(height, width, rgb);
    }
}
