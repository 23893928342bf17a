package io.capxai.training;

import java.util.List;
import java.util.Map;

/**
 * What a training run reports (written as JSON beside the model file).
 *
 * @param model        a human name, e.g. "ResNet-50 (ImageNet, Keras) fine-tuned, biased colouring"
 * @param config       the configuration, field by field
 * @param dataChecksum a digest of the data (and pretrained weights) the run used: part of the cache key
 * @param metrics      accuracies and other results, by name (fractions 0..1)
 * @param evaluated    how many images each metric was measured on
 * @param lossPerEpoch the mean training loss of each epoch
 * @param trainSeconds wall time of the training (evaluation excluded)
 * @param notes        what a reader must know (preprocessing choices, missed targets)
 */
public record TrainingSummary(String model, Map<String, Object> config, String dataChecksum,
                              Map<String, Double> metrics, Map<String, Integer> evaluated, List<Double> lossPerEpoch,
                              double trainSeconds, List<String> notes) {
}
