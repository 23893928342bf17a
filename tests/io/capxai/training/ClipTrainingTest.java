package io.capxai.training;

import io.capxai.models.ClipModel;
import io.capxai.models.text.ClipTokenizer;
import io.capxai.weights.StateDict;
import io.capxai.weights.Weights;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClipTrainingTest {
    static ClipTrainingConfig tiny() {
        return new ClipTrainingConfig(ClipArchitecture.tiny(), 40, 16, 3e-3, 2, 1L);
    }

    @Test
    void tinyRunLowersTheLossAndSavesOpenAiLayout(@TempDir Path temp) throws Exception {
        try (TestCache cache = new TestCache(temp)) {
            TrainedModel trained = Trainer.clip(tiny(), io.capxai.tensors.Device.CPU, false);
            assertFalse(trained.fromCache());
            List<Double> loss = trained.summary().lossPerEpoch();
            assertEquals(10, loss.size()); // one mean per tenth of the steps
            double early = (loss.get(0) + loss.get(1)) / 2;
            double late = (loss.get(8) + loss.get(9)) / 2;
            assertTrue(late < early, "loss per tenth " + loss);

            for (String metric : List.of("digit_5_vs_8", "red_vs_green", "digit_10_class", "fashion_10_class")) {
                double v = trained.summary().metrics().get(metric);
                assertTrue(v >= 0 && v <= 1, metric + " = " + v);
            }
            assertEquals(4, trained.summary().evaluated().get("red_vs_green"));
            assertEquals(20, trained.summary().evaluated().get("fashion_10_class"));
            assertTrue(trained.summary().metrics().get("logit_scale") <= ClipTraining.MAX_LOGIT_SCALE + 1e-6);

            // OpenAI's keys: ClipModel reads the file back, architecture inferred from the tensors
            StateDict weights = Weights.load(trained.modelFile());
            assertEquals("CLIP-style model trained locally", weights.metadata().get("name"));
            assertTrue(weights.contains("visual.attnpool.c_proj.weight") && weights.contains("transformer.resblocks.0.attn.in_proj_weight")
                    && weights.contains("token_embedding.weight") && weights.contains("logit_scale"));
            ClipModel model = ClipModel.fromStateDict(weights);
            assertEquals(32, model.config().imageResolution());
            assertArrayEquals(new int[] {1, 1, 1, 1}, model.config().visionLayers());
            assertEquals(32, model.config().embedDim());
            try (NoGradGuard g = new NoGradGuard()) {
                Tensor text = model.encodeText(ClipTokenizer.load().tokenize(List.of("a photo of a red digit.")));
                Tensor image = model.encodeImage(torch.zeros(2, 3, 32, 32));
                assertArrayEquals(new long[] {1, 32}, text.sizes().vec().get());
                assertArrayEquals(new long[] {2, 32}, image.sizes().vec().get());
                assertTrue(torch.isfinite(text).all().item_bool() && torch.isfinite(image).all().item_bool());
            }

            assertTrue(Trainer.clip(tiny(), io.capxai.tensors.Device.CPU, false).fromCache());
        }
    }

    @Test
    void learningRateWarmsUpThenDecays() {
        ClipTraining run = new ClipTraining(tiny().withSteps(100, 16), null, null, null);
        assertTrue(run.learningRate(0) < run.learningRate(4));
        assertEquals(3e-3, run.learningRate(5), 1e-12);
        assertTrue(run.learningRate(50) < run.learningRate(10));
        assertTrue(run.learningRate(99) < 1e-4);
    }

    @Test
    void badArchitecturesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new ClipArchitecture(48, new int[] {1, 1, 1, 1}, 8, 2, 32, 32, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> new ClipArchitecture(32, new int[] {1, 1, 1}, 8, 2, 32, 32, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> new ClipArchitecture(32, new int[] {1, 1, 1, 1}, 8, 3, 32, 32, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> new ClipArchitecture(32, new int[] {1, 1, 1, 1}, 8, 2, 32, 30, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> tiny().withEvalPerClass(3));
    }
}
