package io.capxai.training;

import io.capxai.data.ClipPreprocess;
import io.capxai.data.IdxDataset;
import io.capxai.data.RgbImage;
import io.capxai.models.ClipModel;
import io.capxai.models.text.ClipTokenizer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

/**
 * Zero-shot classification with a CLIP-style model: each image goes to the caption whose embedding
 * has the highest cosine with its embedding. Images are full-frame 28x28 items (as colored MNIST
 * draws a digit), coloured, then CLIP-preprocessed.
 */
final class ZeroShot {
    private static final int BATCH = 128;

    /** A held-out test image and what it shows. */
    record Example(RgbImage image, int classId, Palette colour) {
    }

    private final ClipModel model;
    private final ClipTokenizer tokenizer;
    private final ClipPreprocess preprocess;

    ZeroShot(ClipModel model, ClipTokenizer tokenizer, ClipPreprocess preprocess) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.preprocess = preprocess;
    }

    /** {@code perClass} random images of each class in {@code classes}; image number i of a class gets {@code colour(i)}. */
    static List<Example> examples(IdxDataset source, int[] classes, int perClass, Random random, IntFunction<Palette> colour) {
        List<Example> out = new ArrayList<>();
        for (int c : classes) {
            List<Integer> indices = new ArrayList<>(source.indicesOf(c));
            if (indices.size() < perClass) {
                throw new TrainingException(source.name() + " has only " + indices.size() + " images of class " + c
                        + ", fewer than the " + perClass + " asked for");
            }
            java.util.Collections.shuffle(indices, random);
            for (int i = 0; i < perClass; i++) {
                Palette p = colour.apply(i);
                byte[] grey = source.images().image(indices.get(i));
                out.add(new Example(colourise(grey, p), c, p));
            }
        }
        return out;
    }

    static RgbImage colourise(byte[] grey, Palette colour) {
        int side = (int) Math.round(Math.sqrt(grey.length));
        RgbImage img = RgbImage.black(side, side);
        double[] gain = colour.rgb();
        for (int p = 0; p < grey.length; p++) {
            for (int c = 0; c < 3; c++) {
                img.set(p / side, p % side, c, (int) Math.round((grey[p] & 0xff) * gain[c]));
            }
        }
        return img;
    }

    /** Share of {@code examples} whose best caption among {@code captions} is {@code truth(example)}. */
    double accuracy(List<Example> examples, List<String> captions, ToIntFunction<Example> truth) {
        model.train(false);
        long correct = 0;
        try (NoGradGuard noGrad = new NoGradGuard(); PointerScope scope = new PointerScope()) {
            Tensor text = torch.normalize(model.encodeText(tokenizer.tokenize(captions, ClipArchitecture.CONTEXT_LENGTH, true)
                    .to(model.device(), torch.ScalarType.Long)));
            for (int from = 0; from < examples.size(); from += BATCH) {
                List<Example> batch = examples.subList(from, Math.min(examples.size(), from + BATCH));
                try (PointerScope inner = new PointerScope()) {
                    Tensor images = preprocess.apply(batch.stream().map(Example::image).toList())
                            .to(model.device(), torch.ScalarType.Float);
                    Tensor image = torch.normalize(model.encodeImage(images));
                    long[] predicted = io.capxai.tensors.Tensors.toLongs(image.mm(text.t()).argmax(new LongOptional(1), false));
                    for (int i = 0; i < batch.size(); i++) {
                        if (predicted[i] == truth.applyAsInt(batch.get(i))) {
                            correct++;
                        }
                    }
                }
            }
        }
        return (double) correct / examples.size();
    }
}
