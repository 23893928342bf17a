package io.capxai.attribution;

import org.bytedeco.pytorch.Tensor;

/**
 * One explanation method behind one call, so that methods can be compared on the same input:
 * M2IB, ConVis, Grad-CAM, gradient saliency, RISE.
 *
 * <p>{@code query} is what the map explains: a caption for image-text methods (M2IB, Grad-CAM,
 * saliency, RISE), a WordNet concept for ConVis ("footwear", "n02084071", "bird.n.01").
 */
public interface Attribution {
    /** A short name: "m2ib", "convis", "gradcam", "saliency", "rise". */
    String name();

    /**
     * Explains {@code image}, one CLIP-preprocessed image {@code [1, 3, R, R]}, for {@code query}.
     * The image map has the input's size and values in [0, 1]; 1 = most relevant.
     */
    AttributionMap explain(Tensor image, String query);
}
