package io.capxai.report;

/**
 * A model named in a report. {@code label} is what every output shows: for the project's own
 * embedded image-text model it always reads "CLIP-style model trained locally", never just
 * "CLIP", because it is not OpenAI's CLIP.
 *
 * @param role            {@code standalone} (the audited classifier) or {@code image-text}
 * @param trainedLocally  true for the embedded CLIP-style default
 */
public record ModelDescription(String role, String label, String name, String details, boolean trainedLocally) {
    public static final String LOCAL_CLIP = "CLIP-style model trained locally";

    public ModelDescription {
        if (role == null || label == null || label.isBlank()) {
            throw new IllegalArgumentException("a model description needs a role and a label");
        }
        if (trainedLocally && !label.contains(LOCAL_CLIP)) {
            throw new IllegalArgumentException("a locally trained image-text model must be labelled '" + LOCAL_CLIP + "', got '" + label + "'");
        }
        name = name == null ? "" : name;
        details = details == null ? "" : details;
    }

    /** The audited classifier, e.g. name {@code ResNet-50}, details {@code biased colored MNIST, 49 taps}. */
    public static ModelDescription standalone(String name, String details) {
        return new ModelDescription("standalone", name, name, details, false);
    }

    /** The embedded default image-text model; {@code name} (optional) tells which checkpoint. */
    public static ModelDescription localClip(String name, String details) {
        String label = name == null || name.isBlank() || name.contains(LOCAL_CLIP) ? LOCAL_CLIP : LOCAL_CLIP + " (" + name + ")";
        return new ModelDescription("image-text", label, name, details, true);
    }

    /** Image-text weights supplied by the user, e.g. name {@code OpenAI CLIP RN50}, details {@code RN50.pt}. */
    public static ModelDescription imageTextFromFile(String name, String details) {
        return new ModelDescription("image-text", name, name, details, false);
    }
}
