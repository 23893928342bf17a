package io.capxai.kernels;

/** Interpolation of capxai_resize and capxai_surgery_apply: align_corners = false, as PyTorch. */
public enum ResizeMode {
    /** CAPXAI_RESIZE_BILINEAR */
    BILINEAR(0),
    /** CAPXAI_RESIZE_BICUBIC: A = -0.75, borders clamped. */
    BICUBIC(1);

    /** The C constant passed to the kernels. */
    public final int code;

    ResizeMode(int code) {
        this.code = code;
    }
}
