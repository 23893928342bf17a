package io.capxai.data;

import io.capxai.tensors.Libtorch;
import io.capxai.tensors.Tensors;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import java.util.ArrayList;
import java.util.List;

/**
 * CLIP's image preprocessing: resize the short side to {@code resolution} (bicubic),
 * centre-crop to {@code resolution x resolution}, scale to [0, 1], normalise with CLIP's mean
 * and std. Output: float32 NCHW tensor {@code [B, 3, R, R]} on the CPU.
 *
 * <p>Two resamplers ({@link Resampling}):
 * <ul>
 *   <li>{@code PIL_BICUBIC} (default): Pillow's bicubic, bit-exact ({@link PilBicubic}), i.e.
 *       exactly OpenAI's {@code preprocess}: a = -0.5, antialiased when shrinking, uint8 result.
 *       Runs in Java, one image at a time.</li>
 *   <li>{@code TORCH_BICUBIC}: libtorch's {@code upsample_bicubic2d} (align_corners = false,
 *       a = -0.75, no antialiasing) on the whole batch, then clamped to [0, 255] and rounded.
 *       Faster for big batches of equal-size images; differs from PIL by a few grey levels at
 *       edges when enlarging and by much more (aliasing) when shrinking a large photo.</li>
 * </ul>
 * Sizes follow torchvision: the long side becomes {@code (int)(R * long / short)}, and the crop
 * offset is {@code round((size - R) / 2)} with round-half-even.
 */
public final class ClipPreprocess {
    static {
        Libtorch.configure(); // before libtorch loads
    }

    public static final float[] CLIP_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    public static final float[] CLIP_STD = {0.26862954f, 0.26130258f, 0.27577711f};
    public static final int DEFAULT_RESOLUTION = 224;

    /** Which bicubic resize to use; see the class comment. */
    public enum Resampling { PIL_BICUBIC, TORCH_BICUBIC }

    private final int resolution;
    private final float[] mean;
    private final float[] std;
    private final Resampling resampling;

    public ClipPreprocess(int resolution, float[] mean, float[] std) {
        this(resolution, mean, std, Resampling.PIL_BICUBIC);
    }

    public ClipPreprocess(int resolution, float[] mean, float[] std, Resampling resampling) {
        if (resolution <= 0 || resolution > 8192) {
            throw new IllegalArgumentException("resolution must be in 1..8192, got " + resolution);
        }
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("mean and std need 3 values (RGB)");
        }
        for (int c = 0; c < 3; c++) {
            if (!(std[c] > 0) || !Float.isFinite(std[c]) || !Float.isFinite(mean[c])) {
                throw new IllegalArgumentException("std must be finite and positive, mean finite; channel " + c
                        + " has mean " + mean[c] + ", std " + std[c]);
            }
        }
        this.resolution = resolution;
        this.mean = mean.clone();
        this.std = std.clone();
        this.resampling = java.util.Objects.requireNonNull(resampling, "resampling");
    }

    /** The same preprocessing with another resampler. */
    public ClipPreprocess withResampling(Resampling r) {
        return new ClipPreprocess(resolution, mean, std, r);
    }

    public Resampling resampling() {
        return resampling;
    }

    /** CLIP's normalisation at the given input resolution. */
    public static ClipPreprocess clip(int resolution) {
        return new ClipPreprocess(resolution, CLIP_MEAN, CLIP_STD);
    }

    /** CLIP's normalisation at 224 x 224. */
    public static ClipPreprocess clip() {
        return clip(DEFAULT_RESOLUTION);
    }

    public int resolution() {
        return resolution;
    }

    /** Preprocesses one image into {@code [1, 3, R, R]}. */
    public Tensor apply(RgbImage image) {
        return apply(List.of(image));
    }

    /** Preprocesses a batch; images of equal size are resized together. */
    public Tensor apply(List<RgbImage> images) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("cannot preprocess an empty list of images");
        }
        if (resampling == Resampling.PIL_BICUBIC) {
            // images are independent: resize them on all cores (the stream keeps their order)
            List<RgbImage> cropped = images.parallelStream().map(this::resizeAndCrop).toList();
            return normalise(toTensor(cropped));
        }
        RgbImage first = images.get(0);
        boolean sameSize = images.stream().allMatch(i -> i.height() == first.height() && i.width() == first.width());
        if (sameSize) {
            return normalise(resizeAndCrop(toTensor(images)));
        }
        List<Tensor> parts = new ArrayList<>(images.size());
        for (RgbImage img : images) {
            parts.add(resizeAndCrop(toTensor(List.of(img))));
        }
        return normalise(torch.cat(new TensorVector(parts.toArray(new Tensor[0])), 0));
    }

    /** The images as float32 {@code [B, 3, H, W]} with values 0..255. */
    static Tensor toTensor(List<RgbImage> images) {
        RgbImage first = images.get(0);
        int h = first.height();
        int w = first.width();
        long per = (long) h * w * 3;
        byte[] all = new byte[Math.toIntExact(per * images.size())];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(images.get(i).pixels(), 0, all, (int) (i * per), (int) per);
        }
        try (BytePointer p = new BytePointer(all)) {
            Tensor hwc = torch.from_blob(p, new long[] {images.size(), h, w, 3}, Tensors.options(ScalarType.Byte)).clone();
            return hwc.permute(0, 3, 1, 2).to(ScalarType.Float).contiguous();
        }
    }

    /** torchvision's Resize(R): the short side becomes R, the long side (int)(R * long / short). */
    private long[] resizedSize(long h, long w) {
        long longSide = (long) ((double) resolution * Math.max(h, w) / Math.min(h, w));
        if (longSide > 64L * resolution) {
            throw new IllegalArgumentException("image " + h + "x" + w + " is too elongated to resize its short side to "
                    + resolution + " (the long side would be " + longSide + " px)");
        }
        return h <= w ? new long[] {resolution, (long) ((double) resolution * w / h)}
                : new long[] {(long) ((double) resolution * h / w), resolution};
    }

    /** PIL path: short side to R with Pillow's bicubic, centre crop to R x R. */
    RgbImage resizeAndCrop(RgbImage img) {
        long[] size = resizedSize(img.height(), img.width());
        RgbImage resized = PilBicubic.resize(img, (int) size[0], (int) size[1]);
        int top = (int) Math.rint((size[0] - resolution) / 2.0);
        int left = (int) Math.rint((size[1] - resolution) / 2.0);
        return resized.crop(top, left, resolution, resolution);
    }

    /** Torch path: short side to R (bicubic), clamp and round to 0..255, centre crop to R x R. */
    Tensor resizeAndCrop(Tensor x) {
        long h = x.size(2);
        long w = x.size(3);
        long[] size = resizedSize(h, w);
        long newH = size[0];
        long newW = size[1];
        Tensor resized = x;
        if (newH != h || newW != w) {
            resized = torch.upsample_bicubic2d(x, new long[] {newH, newW}, false)
                    .clamp(new ScalarOptional(new Scalar(0.0)), new ScalarOptional(new Scalar(255.0)))
                    .round();
        }
        long top = Math.round(Math.rint((newH - resolution) / 2.0));
        long left = Math.round(Math.rint((newW - resolution) / 2.0));
        return resized.narrow(2, top, resolution).narrow(3, left, resolution).contiguous();
    }

    /** (x / 255 - mean) / std per channel. */
    Tensor normalise(Tensor x) {
        Tensor m = Tensors.fromFloats(mean, 1, 3, 1, 1);
        Tensor s = Tensors.fromFloats(std, 1, 3, 1, 1);
        return x.div(new Scalar(255.0)).sub(m).div(s).contiguous();
    }
}
