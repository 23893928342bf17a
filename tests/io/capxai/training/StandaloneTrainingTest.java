package io.capxai.training;

import io.capxai.json.Json;
import io.capxai.models.ResNet;
import io.capxai.weights.StateDict;
import io.capxai.weights.Weights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StandaloneTrainingTest {
    /** ResNet-18 from scratch at 32x32 on 16 biased images: 6 epochs of one batch each. */
    static StandaloneConfig tiny() {
        return new StandaloneConfig(StandaloneConfig.Architecture.RESNET18_SCRATCH, StandaloneConfig.Colouring.BIASED,
                32, 8, 4, 4, 6, 16, 1e-3, 3L);
    }

    @Test
    void tinyRunLearnsAndTheCacheHitsOnTheSecondCall(@TempDir Path temp) throws Exception {
        try (TestCache cache = new TestCache(temp)) {
            TrainedModel first = Trainer.standalone(tiny(), io.capxai.tensors.Device.CPU, false);
            assertFalse(first.fromCache());
            List<Double> loss = first.summary().lossPerEpoch();
            assertEquals(6, loss.size());
            assertTrue(loss.getLast() < 0.5 * loss.getFirst(), "loss per epoch " + loss);
            assertTrue(first.modelFile().startsWith(cache.root));
            double test = first.summary().metrics().get("test_accuracy");
            assertTrue(test >= 0 && test <= 1);
            assertEquals(8, first.summary().evaluated().get("test_accuracy"));

            // the file is a 2-class torchvision ResNet-18 that loads back
            StateDict weights = Weights.load(first.modelFile());
            assertEquals("torchvision_resnet18", weights.metadata().get("architecture"));
            ResNet reloaded = ResNet.fromStateDict(weights);
            assertEquals(2, reloaded.numClasses());
            assertEquals("ResNet-18", reloaded.name());

            long modified = Files.getLastModifiedTime(first.modelFile()).toMillis();
            TrainedModel second = Trainer.standalone(tiny(), io.capxai.tensors.Device.CPU, false);
            assertTrue(second.fromCache());
            assertEquals(first.modelFile(), second.modelFile());
            assertEquals(first.summary().metrics(), second.summary().metrics());
            assertEquals(modified, Files.getLastModifiedTime(second.modelFile()).toMillis());

            // the CLI with the same settings finds the cached model and writes the file and the JSON summary
            Path out = temp.resolve("out");
            int exit = new picocli.CommandLine(new io.capxai.cli.TrainCommand()).execute("standalone", "--colouring", "biased",
                    "--arch", "resnet18", "--resolution", "32", "--train-per-digit", "8", "--test-per-digit", "4",
                    "--real-world-per-digit", "4", "--epochs", "6", "--batch-size", "16", "--lr", "1e-3", "--seed", "3",
                    "--out", out.toString());
            assertEquals(0, exit);
            assertEquals(Files.size(first.modelFile()), Files.size(out.resolve("standalone-biased.safetensors")));
            var json = Json.MAPPER.readTree(out.resolve("standalone-biased.json").toFile());
            assertEquals(test, json.get("metrics").get("test_accuracy").asDouble());
            assertEquals(2, Trainer.loadStandalone(out.resolve("standalone-biased.safetensors")).numClasses());
            assertEquals(2, new picocli.CommandLine(new io.capxai.cli.TrainCommand()).execute("standalone", "--colouring", "purple"));

            // a different configuration or different data is a different cache entry
            var config = Json.MAPPER.convertValue(tiny(), java.util.Map.class);
            var other = Json.MAPPER.convertValue(tiny().withTraining(32, 1, 16, 1e-3), java.util.Map.class);
            assertEquals(ModelCache.entry("k", config, "data"), ModelCache.entry("k", config, "data"));
            assertFalse(ModelCache.entry("k", config, "data").equals(ModelCache.entry("k", other, "data")));
            assertFalse(ModelCache.entry("k", config, "data").equals(ModelCache.entry("k", config, "data2")));
        }
    }

    @Test
    void badSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> tiny().withTraining(30, 1, 16, 1e-3));
        assertThrows(IllegalArgumentException.class, () -> tiny().withTraining(32, 1, 1, 1e-3));
        assertThrows(IllegalArgumentException.class, () -> tiny().withTraining(32, 1, 16, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> tiny().withSizes(8, 4, 3));
    }
}
