package io.capxai.data;

import io.capxai.tensors.Tensors;
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
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The default preprocessing against OpenAI's own (PIL + torchvision, run with the system
 * Python; skipped where there is none): the resized, cropped uint8 image must be identical,
 * the normalised floats equal to float precision.
 */
class ClipPreprocessPilParityTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");

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
        assumeTrue(Files.isExecutable(PYTHON), "no system python3");
        Map<String, RgbImage> images = new LinkedHashMap<>();
        images.put("mnist", ColoredMnist.build(Mnist.load(), ColoredMnist.Config.paper().withSizes(1, 0, 0))
                .train().image(0));                       // 28 -> 224, enlarging
        images.put("noiseSmall", noise(5, 3, 1));         // tiny, tall
        images.put("noiseWide", noise(300, 451, 2));      // shrinking, odd sizes
        images.put("noiseBig", noise(700, 512, 3));       // strong shrink: antialiasing matters
        images.put("square", noise(224, 224, 4));         // no resize at all
        Path orange = Path.of("/usr/share/doc/opencv-doc/examples/data/orange.jpg");
        if (Files.isRegularFile(orange)) {
            images.put("orange", ImageFolderDataset.read(orange)); // a real photo (decoded once, by ImageIO)
        }
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(),
                Path.of(System.getProperty("capxai.repo", "."), "tests/reference/clip_preprocess_reference.py").toString(),
                "224", dir.toString()));
        for (Map.Entry<String, RgbImage> e : images.entrySet()) {
            Path png = dir.resolve(e.getKey() + ".png");
            assertTrue(ImageIO.write(e.getValue().toBufferedImage(), "png", png.toFile()));
            cmd.add(png.toString());
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assumeTrue(p.waitFor(300, TimeUnit.SECONDS) && p.exitValue() == 0, "reference failed: " + log);

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
