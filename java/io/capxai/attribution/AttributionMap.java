package io.capxai.attribution;

import java.util.Map;

/**
 * What an {@link Attribution} returns.
 *
 * @param image   row-major {@code [height, width]} relevance over the input image, in [0, 1]
 * @param text    relevance per text token (SOT and EOT included), or null when the method has no text map
 * @param options every option value the method used, for the output files
 */
public record AttributionMap(String method, float[] image, int height, int width, float[] text, Map<String, String> options) {
    public AttributionMap {
        if (image.length != height * width) {
            throw new IllegalArgumentException("image map of " + image.length + " values is not " + height + "x" + width);
        }
        options = Map.copyOf(options);
    }
}
