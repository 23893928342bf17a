package io.capxai.training;

import io.capxai.tensors.Device;
import io.capxai.testing.Gpu;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training on cuda:0 against training on the CPU, from the same initial weights and the same batches:
 * the first losses agree (later ones drift apart slowly: Adam amplifies float32 differences in tiny
 * gradients), the CUDA run learns, and the file it writes loads on the CPU. Each run uses its own
 * cache, so neither finds the other's model. Needs a GPU server: {@code ./mvnw -Pgpu -B verify -Dgroups=gpu}.
 */
@Tag("gpu")
@EnabledIf(value = Gpu.CONDITION, disabledReason = Gpu.REASON)
class GpuTrainingTest {
    @Test
    void standaloneTrainingOnCudaStartsWhereTheCpuRunStartsAndLearns(@TempDir Path temp) throws Exception {
        TrainedModel cpu = trainStandalone(temp.resolve("cpu"), Device.CPU);
        TrainedModel cuda = trainStandalone(temp.resolve("cuda"), Device.cuda(0));
        List<Double> cpuLoss = cpu.summary().lossPerEpoch();
        List<Double> cudaLoss = cuda.summary().lossPerEpoch();
        // one batch per epoch: epoch 1's loss is the initial weights' loss on the same 16 images
        assertEquals(cpuLoss.getFirst(), cudaLoss.getFirst(), 1e-4, "first epoch, cpu " + cpuLoss + " cuda " + cudaLoss);
        assertTrue(cudaLoss.getLast() < 0.5 * cudaLoss.getFirst(), "cuda loss per epoch " + cudaLoss);
        assertTrue(cuda.summary().notes().contains("trained on cuda:0"), cuda.summary().notes().toString());
        assertEquals(2, Trainer.loadStandalone(cuda.modelFile()).numClasses());
        double accuracy = cuda.summary().metrics().get("test_accuracy");
        assertTrue(accuracy >= 0 && accuracy <= 1, "test accuracy " + accuracy);
    }

    @Test
    void clipTrainingOnCudaStartsWhereTheCpuRunStartsAndLowersTheLoss(@TempDir Path temp) throws Exception {
        TrainedModel cpu = trainClip(temp.resolve("cpu"), Device.CPU);
        TrainedModel cuda = trainClip(temp.resolve("cuda"), Device.cuda(0));
        List<Double> cpuLoss = cpu.summary().lossPerEpoch();
        List<Double> cudaLoss = cuda.summary().lossPerEpoch();
        // the first tenth holds four steps: the first at identical weights, three after Adam updates
        assertEquals(cpuLoss.getFirst(), cudaLoss.getFirst(), 1e-2, "first tenth, cpu " + cpuLoss + " cuda " + cudaLoss);
        assertTrue((cudaLoss.get(8) + cudaLoss.get(9)) < (cudaLoss.get(0) + cudaLoss.get(1)), "cuda loss per tenth " + cudaLoss);
        for (String metric : List.of("digit_5_vs_8", "red_vs_green", "digit_10_class", "fashion_10_class")) {
            double v = cuda.summary().metrics().get(metric);
            assertTrue(v >= 0 && v <= 1, metric + " = " + v);
        }
        assertEquals(32, Trainer.loadClip(cuda.modelFile()).config().imageResolution());
    }

    private static TrainedModel trainStandalone(Path cacheDir, Device device) throws Exception {
        try (TestCache cache = new TestCache(cacheDir)) {
            TrainedModel model = Trainer.standalone(StandaloneTrainingTest.tiny(), device, false);
            assertTrue(!model.fromCache(), "trained, not found in a cache");
            return model;
        }
    }

    private static TrainedModel trainClip(Path cacheDir, Device device) throws Exception {
        try (TestCache cache = new TestCache(cacheDir)) {
            TrainedModel model = Trainer.clip(ClipTrainingTest.tiny(), device, false);
            assertTrue(!model.fromCache(), "trained, not found in a cache");
            return model;
        }
    }
}
