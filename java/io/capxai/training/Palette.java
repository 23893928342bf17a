package io.capxai.training;

import java.util.List;

/**
 * The colours items are drawn in for the CLIP-style model, with the names its captions use. Red and
 * green are single channels, exactly as the paper's colored MNIST draws them; white is the grey
 * variant (intensity in all three channels).
 *
 * @param name caption word
 * @param rgb  the channel gains 0..1 applied to the grey intensity
 */
public record Palette(String name, double[] rgb) {
    public static final List<Palette> COLOURS = List.of(
            new Palette("red", new double[] {1, 0, 0}),
            new Palette("green", new double[] {0, 1, 0}),
            new Palette("blue", new double[] {0, 0, 1}),
            new Palette("yellow", new double[] {1, 1, 0}),
            new Palette("magenta", new double[] {1, 0, 1}),
            new Palette("cyan", new double[] {0, 1, 1}),
            new Palette("white", new double[] {1, 1, 1}),
            new Palette("orange", new double[] {1, 0.5, 0}));

    public static Palette named(String name) {
        return COLOURS.stream().filter(c -> c.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no colour '" + name + "' in the palette"));
    }
}
