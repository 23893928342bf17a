package io.capxai.attribution;

import io.capxai.data.ClipPreprocess;
import io.capxai.images.Images;
import io.capxai.json.Json;
import io.capxai.tensors.Tensors;
import io.capxai.weights.Safetensors;
import org.bytedeco.pytorch.Tensor;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The three files of one explanation: {@code map.png} (heat map blended over the model's view of
 * the image), {@code map.safetensors} (float32 {@code image_map} [H, W] and, when there is one,
 * {@code text_map} [tokens]) and {@code explain.json} (method, model, caption, options, metrics).
 */
public final class ExplanationFiles {
    private ExplanationFiles() {}

    /**
     * Writes the files into {@code dir} (created if needed). {@code image} is the preprocessed
     * model input [1, 3, R, R]; {@code metrics} and {@code tokens} (display strings per token,
     * SOT..EOT, or null) go into the JSON as given.
     */
    public static void write(Path dir, Tensor image, String caption, AttributionMap map, String[] tokens,
                             Map<String, Object> metrics) {
        try {
            Files.createDirectories(dir);
            Images.writePng(blend(image, map), dir.resolve("map.png"));
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            tensors.put("image_map", Tensors.fromFloats(map.image(), map.height(), map.width()));
            if (map.text() != null) {
                tensors.put("text_map", Tensors.fromFloats(map.text(), map.text().length));
            }
            Safetensors.write(dir.resolve("map.safetensors"), tensors, Map.of("method", map.method()));
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("method", map.method());
            json.put("model", map.options().getOrDefault("model", "unknown"));
            json.put("caption", caption);
            json.put("options", map.options());
            json.put("metrics", metrics);
            if (map.text() != null && tokens != null) {
                Map<String, Float> perToken = new LinkedHashMap<>();
                for (int i = 1; i + 1 < map.text().length && i < tokens.length; i++) { // SOT/EOT stripped for display
                    perToken.put(i + ":" + tokens[i], map.text()[i]);
                }
                json.put("text_relevance", perToken);
            }
            Json.PRETTY.writeValue(dir.resolve("explain.json").toFile(), json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write explanation files to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The preprocessed image (CLIP normalisation undone) with the map as a red-yellow overlay, 50 % each. */
    static BufferedImage blend(Tensor image, AttributionMap map) {
        int h = map.height();
        int w = map.width();
        if (image.size(2) != h || image.size(3) != w) {
            throw new IllegalArgumentException("image " + Tensors.shapeString(image) + " and map " + h + "x" + w + " differ in size");
        }
        float[] rgb = Images.unnormalise(Tensors.toFloats(image), h, w, ClipPreprocess.CLIP_MEAN, ClipPreprocess.CLIP_STD);
        return Images.overlay(Images.fromChw(rgb, h, w), map.image());
    }
}
