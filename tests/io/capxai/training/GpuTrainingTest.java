package io.capxai.training;

import io.capxai.tensors.Device;
import io.capxai.testing.Gpu;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        Runs runs = Runs.of(temp, device -> Trainer.standalone(StandaloneTrainingTest.tiny(), device, false));
        // one batch per epoch: epoch 1's loss is the initial weights' loss on the same 16 images
        assertEquals(runs.cpuLoss().getFirst(), runs.cudaLoss().getFirst(), 1e-4, runs.toString());
        assertTrue(runs.cudaLoss().getLast() < 0.5 * runs.cudaLoss().getFirst(), runs.toString());
        assertTrue(runs.cuda().summary().notes().contains("trained on cuda:0"), runs.cuda().summary().notes().toString());
        assertEquals(2, Trainer.loadStandalone(runs.cuda().modelFile()).numClasses());
        double accuracy = runs.cuda().summary().metrics().get("test_accuracy");
        assertTrue(accuracy >= 0 && accuracy <= 1, "test accuracy " + accuracy);
    }

    @Test
    void clipTrainingOnCudaStartsWhereTheCpuRunStartsAndLowersTheLoss(@TempDir Path temp) throws Exception {
        Runs runs = Runs.of(temp, device -> Trainer.clip(ClipTrainingTest.tiny(), device, false));
        List<Double> loss = runs.cudaLoss();
        // the first tenth holds four steps: the first at identical weights, three after Adam updates
        assertEquals(runs.cpuLoss().getFirst(), loss.getFirst(), 1e-2, runs.toString());
        assertTrue(loss.get(8) + loss.get(9) < loss.get(0) + loss.get(1), runs.toString());
        for (String metric : List.of("digit_5_vs_8", "red_vs_green", "digit_10_class", "fashion_10_class")) {
            double v = runs.cuda().summary().metrics().get(metric);
            assertTrue(v >= 0 && v <= 1, metric + " = " + v);
        }
        assertEquals(32, Trainer.loadClip(runs.cuda().modelFile()).config().imageResolution());
    }

    /** The same training on the CPU and on cuda:0, each in a fresh cache of its own. */
    private record Runs(TrainedModel cpu, TrainedModel cuda) {
        static Runs of(Path temp, Function<Device, TrainedModel> train) throws Exception {
            return new Runs(fresh(temp.resolve("cpu"), Device.CPU, train), fresh(temp.resolve("cuda"), Device.cuda(0), train));
        }

        private static TrainedModel fresh(Path cacheDir, Device device, Function<Device, TrainedModel> train) throws Exception {
            try (TestCache cache = new TestCache(cacheDir)) {
                TrainedModel model = train.apply(device);
                assertFalse(model.fromCache(), "trained, not found in a cache");
                return model;
            }
        }

        List<Double> cpuLoss() {
            return cpu.summary().lossPerEpoch();
        }

        List<Double> cudaLoss() {
            return cuda.summary().lossPerEpoch();
        }

        @Override
        public String toString() {
            return "losses: cpu " + cpuLoss() + ", cuda " + cudaLoss();
        }
    }
}
