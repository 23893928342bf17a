package io.capxai.evaluation;

import java.util.List;

/**
 * The pair's cosine before ({@code original}) and after ({@code perturbed}) keeping only what a map
 * marks relevant (docs/method.md#confidence-metrics).
 */
public record ConfidenceChange(double original, double perturbed) {
    /** {@code max(0, o - s) * 100}. */
    public double drop() {
        return Math.max(0, original - perturbed) * 100;
    }

    /** Whether the perturbed input scores higher than the original. */
    public boolean increased() {
        return perturbed > original;
    }

    /** Confidence Drop (mean of drops) and Confidence Increase (% of pairs that increased) over many pairs. */
    public record Summary(int pairs, double confidenceDrop, double confidenceIncreasePercent) {}

    public static Summary summarise(List<ConfidenceChange> changes) {
        if (changes.isEmpty()) {
            throw new IllegalArgumentException("no confidence changes to summarise");
        }
        double drop = 0;
        int increased = 0;
        for (ConfidenceChange c : changes) {
            drop += c.drop();
            increased += c.increased() ? 1 : 0;
        }
        return new Summary(changes.size(), drop / changes.size(), 100.0 * increased / changes.size());
    }
}
