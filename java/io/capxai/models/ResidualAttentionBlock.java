package io.capxai.models;

import io.capxai.weights.WeightsException;
import org.bytedeco.pytorch.Tensor;

/**
 * CLIP's pre-LayerNorm transformer block, batch-first {@code [N, L, D]}:
 * <pre>
 *   x = x + attn(ln_1(x))
 *   x = x + mlp.c_proj(QuickGELU(mlp.c_fc(ln_2(x))))
 * </pre>
 * Keys under {@code name}: {@code ln_1.*}, {@code attn.in_proj_weight [3D, D]}, {@code attn.in_proj_bias},
 * {@code attn.out_proj.*}, {@code ln_2.*}, {@code mlp.c_fc.*}, {@code mlp.c_proj.*}.
 */
final class ResidualAttentionBlock {
    private final LayerNorm ln1;
    private final Linear inProj;
    private final Linear outProj;
    private final LayerNorm ln2;
    private final Linear fc;
    private final Linear proj;
    private final long width;
    private final long heads;

    ResidualAttentionBlock(ModuleState s, String name, long width, long heads) {
        this.width = width;
        this.heads = heads;
        ln1 = new LayerNorm(s, name + ".ln_1", width);
        inProj = new Linear(s.parameter(name + ".attn.in_proj_weight", 3 * width, width),
                s.parameter(name + ".attn.in_proj_bias", 3 * width));
        outProj = new Linear(s, name + ".attn.out_proj", width);
        if (outProj.outFeatures() != width) {
            throw new WeightsException("tensor '" + name + ".attn.out_proj.weight' must be [" + width + ", " + width + "]");
        }
        ln2 = new LayerNorm(s, name + ".ln_2", width);
        fc = new Linear(s, name + ".mlp.c_fc", width);
        proj = new Linear(s, name + ".mlp.c_proj", fc.outFeatures());
        if (proj.outFeatures() != width) {
            throw new WeightsException("tensor '" + name + ".mlp.c_proj.weight' must have " + width + " rows");
        }
    }

    Tensor forward(Tensor x, boolean causal) {
        return Scoped.run(() -> {
            Tensor h = x.add(attention(ln1.forward(x), causal));
            return h.add(proj.forward(Attention.quickGelu(fc.forward(ln2.forward(h)))));
        });
    }

    private Tensor attention(Tensor x, boolean causal) {
        Tensor qkv = inProj.forward(x);
        Tensor q = qkv.narrow(-1, 0, width);
        Tensor k = qkv.narrow(-1, width, width);
        Tensor v = qkv.narrow(-1, 2 * width, width);
        return outProj.forward(Attention.multiHead(q, k, v, heads, causal));
    }
}
