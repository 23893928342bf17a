package io.capxai.probing;

import java.util.List;
import java.util.Map;

/**
 * The true label of every evaluated image for every concept, e.g. image 0: shape {@code 5},
 * colour {@code red}. Row index = image index, the same as in the similarity matrices.
 *
 * @param concepts concept names, in the order of {@code labels[image]}
 */
public record ImageLabels(List<String> concepts, String[][] labels) {
    public ImageLabels {
        concepts = List.copyOf(concepts);
        labels = labels.clone();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == null || labels[i].length != concepts.size()) {
                throw new IllegalArgumentException("image " + i + " needs one label per concept " + concepts
                        + ", got " + (labels[i] == null ? "none" : labels[i].length));
            }
            for (int c = 0; c < concepts.size(); c++) {
                if (labels[i][c] == null || labels[i][c].isBlank()) {
                    throw new IllegalArgumentException("image " + i + " has no label for concept '" + concepts.get(c) + "'");
                }
            }
            labels[i] = labels[i].clone();
        }
    }

    /** From one map per image, {@code concept -> label}; every map must name every concept. */
    public static ImageLabels of(List<String> concepts, List<Map<String, String>> perImage) {
        String[][] labels = new String[perImage.size()][concepts.size()];
        for (int i = 0; i < perImage.size(); i++) {
            for (int c = 0; c < concepts.size(); c++) {
                labels[i][c] = perImage.get(i).get(concepts.get(c));
            }
        }
        return new ImageLabels(concepts, labels);
    }

    public int images() {
        return labels.length;
    }

    public String label(int image, String concept) {
        int c = concepts.indexOf(concept);
        if (c < 0) {
            throw new IllegalArgumentException("no labels for concept '" + concept + "'; have " + concepts);
        }
        return labels[image][c];
    }
}
