package io.capxai.training;

import java.nio.file.Path;

/**
 * A trained model on disk: a safetensors file ({@code io.capxai.weights.Weights.load} reads it) and its summary.
 *
 * @param modelFile   the safetensors weights
 * @param summaryFile the JSON summary
 * @param summary     the summary itself
 * @param fromCache   true when an earlier run's files were reused
 */
public record TrainedModel(Path modelFile, Path summaryFile, TrainingSummary summary, boolean fromCache) {
}
