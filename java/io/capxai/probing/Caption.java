package io.capxai.probing;

/**
 * One caption of a concept, e.g. text {@code "a photo of a red digit."} with label {@code red}:
 * an image whose label for this caption's concept equals {@code label} is described correctly.
 */
public record Caption(String text, String label) {
    public Caption {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("caption text is missing or blank");
        }
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("caption '" + text + "' has no label");
        }
    }
}
