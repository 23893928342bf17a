package io.capxai.weights;

import io.capxai.testing.ExternalData;
import io.capxai.models.KerasResNet50;
import io.capxai.models.ResNet;
import io.capxai.taps.TapSet;
import io.capxai.tensors.Tensors;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end on real data: the converted Keras weights, the models' Keras ResNet50 and the
 * ImageNet class list must call real photos of an orange and a baboon (opencv-doc's orange.jpg and
 * baboon.jpg) by their names.
 * A wrong name mapping, layout or class order fails this.
 */
class KerasResNet50ImageNetTest {

    @Test
    void realPhotosAreClassifiedCorrectly() throws IOException {
        ResNet model = KerasResNet50.fromStateDict(Weights.load(ExternalData.resnet50Tfjs()));
        ImageNetClasses classes = ImageNetClasses.readDarknet(ExternalData.darknetData());
        for (String name : new String[] {"orange", "baboon"}) {
            Tensor image = caffePreprocessed(ImageIO.read(ExternalData.opencvPhotos().resolve(name + ".jpg").toFile()));
            float[] probabilities = Tensors.toFloats(model.forward(image, TapSet.none()).softmax(1));
            int best = 0;
            for (int i = 1; i < probabilities.length; i++) {
                best = probabilities[i] > probabilities[best] ? i : best;
            }
            assertEquals(name, classes.name(best), name + ".jpg: top-1 class " + best + " with p=" + probabilities[best]);
            assertTrue(probabilities[best] > 0.5, "p(" + name + ") = " + probabilities[best]);
        }
    }

    /** Resized to 224x224, RGB -> BGR, minus the ImageNet means, 0..255 scale: [1, 3, 224, 224]. */
    private static Tensor caffePreprocessed(BufferedImage photo) {
        int size = 224;
        BufferedImage resized = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        var g = resized.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(photo, 0, 0, size, size, null);
        g.dispose();
        double[] mean = KerasResNet50Weights.CAFFE_MEAN_BGR;
        float[] chw = new float[3 * size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int rgb = resized.getRGB(x, y);
                int[] bgr = {rgb & 0xff, (rgb >> 8) & 0xff, (rgb >> 16) & 0xff};
                for (int c = 0; c < 3; c++) {
                    chw[(c * size + y) * size + x] = (float) (bgr[c] - mean[c]);
                }
            }
        }
        return Tensors.fromFloats(chw, 1, 3, size, size);
    }
}
