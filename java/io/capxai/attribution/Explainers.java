package io.capxai.attribution;

import java.util.List;

/** The image-text explanation methods by name, so commands and benchmarks can pick them from a string. */
public final class Explainers {
    /** Names accepted by {@link #create}. */
    public static final List<String> METHODS = List.of("m2ib", "gradcam", "saliency", "rise");

    private Explainers() {}

    /**
     * A method over {@code clip}: "m2ib" (with {@code m2ib}), "gradcam" (at M2IB's image layer),
     * "saliency", or "rise" (with {@code riseMasks} masks, seeded like M2IB).
     */
    public static Attribution create(String method, ClipScorer clip, M2ibOptions m2ib, int riseMasks) {
        return switch (method) {
            case "m2ib" -> new M2ib(clip, m2ib);
            case "gradcam" -> new GradCam(clip, m2ib.imageLayer());
            case "saliency" -> new GradientSaliency(clip);
            case "rise" -> new Rise(clip, riseMasks, 8, 0.5, m2ib.seed());
            default -> throw new IllegalArgumentException("unknown method '" + method + "'; choose one of " + METHODS);
        };
    }
}
