package io.capxai.models;

import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/** Multi-head scaled dot-product attention on batch-first tensors, as in {@code nn.MultiheadAttention}. */
final class Attention {
    private Attention() {}

    /**
     * {@code softmax(q k^T / sqrt(d_head)) v} per head. q {@code [N, Lq, D]}, k and v {@code [N, Lk, D]}
     * (already projected); returns {@code [N, Lq, D]} (before the output projection). {@code causal}
     * hides later positions (CLIP's text mask).
     */
    static Tensor multiHead(Tensor q, Tensor k, Tensor v, long heads, boolean causal) {
        long n = q.size(0);
        long d = q.size(2);
        long headDim = d / heads;
        Tensor qh = q.reshape(n, q.size(1), heads, headDim).transpose(1, 2);
        Tensor kh = k.reshape(n, k.size(1), heads, headDim).transpose(1, 2);
        Tensor vh = v.reshape(n, v.size(1), heads, headDim).transpose(1, 2);
        Tensor out = torch.scaled_dot_product_attention(qh, kh, vh, new TensorOptional(), 0.0, causal,
                new DoubleOptional(), false);
        return out.transpose(1, 2).reshape(n, q.size(1), d);
    }

    /** CLIP's QuickGELU: {@code x * sigmoid(1.702 x)}. */
    static Tensor quickGelu(Tensor x) {
        return x.mul(torch.sigmoid(x.mul(new org.bytedeco.pytorch.Scalar(1.702))));
    }
}
