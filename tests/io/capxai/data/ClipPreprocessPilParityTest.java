package io.capxai.data;

import io.capxai.tensors.Tensors;
import io.capxai.testing.ExternalData;
import io.capxai.testing.PythonReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The default preprocessing against OpenAI's own (PIL + torchvision, run with the system
 * Python; skipped where there is none): the resized, cropped uint8 image must be identical,
 * the normalised floats equal to float precision.
 */
class ClipPreprocessPilParityTest {
    @TempDir
    Path dir;

    private static RgbImage noise(int h, int w, long seed) {
        Random rng = new Random(seed);
        byte[] px = new byte[h * w * 3];
        rng.nextBytes(px);
        return new RgbImage(h, w, px);
    }

    @Test
    void identicalToOpenAiPreprocessing() throws Exception {
        PythonReference.require("numpy", "PIL", "torchvision");
        Map<String, RgbImage> images = new LinkedHashMap<>();
        images.put("mnist", ColoredMnist.build(Mnist.load(), ColoredMnist.Config.paper().withSizes(1, 0, 0))
                .train().image(0));                       // 28 -> 224, enlarging
        images.put("noiseSmall", noise(5, 3, 1));         // tiny, tall
        images.put("noiseWide", noise(300, 451, 2));      // shrinking, odd sizes
        images.put("noiseBig", noise(700, 512, 3));       // strong shrink: antialiasing matters
        images.put("square", noise(224, 224, 4));         // no resize at all
        images.put("orange", ImageFolderDataset.read(ExternalData.opencvPhotos().resolve("orange.jpg"))); // a real photo
        List<String> args = new ArrayList<>(List.of("224", dir.toString()));
        for (Map.Entry<String, RgbImage> e : images.entrySet()) {
            Path png = dir.resolve(e.getKey() + ".png");
            assertTrue(ImageIO.write(e.getValue().toBufferedImage(), "png", png.toFile()));
            args.add(png.toString());
        }
        PythonReference.run("clip_preprocess_reference.py", args.toArray(String[]::new));

        ClipPreprocess pre = ClipPreprocess.clip(224);
        for (Map.Entry<String, RgbImage> e : images.entrySet()) {
            byte[] expected = Files.readAllBytes(dir.resolve(e.getKey() + ".u8"));
            assertArrayEquals(expected, pre.resizeAndCrop(e.getValue()).pixels(), e.getKey() + ": resized pixels");
            ByteBuffer f32 = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(e.getKey() + ".f32")))
                    .order(ByteOrder.LITTLE_ENDIAN);
            float[] actual = Tensors.toFloats(pre.apply(e.getValue()));
            assertEquals(3 * 224 * 224, actual.length);
            for (int i = 0; i < actual.length; i++) {
                assertEquals(f32.getFloat(4 * i), actual[i], 1e-5, e.getKey() + " value " + i);
            }
        }
    }
}
