package io.capxai.models;

import io.capxai.weights.WeightsException;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * CLIP's attention pooling: the mean of the spatial tokens, prepended to them, attends (as the only
 * query) over all tokens plus a learned positional embedding; {@code c_proj} maps to the embedding.
 * Keys: {@code positional_embedding [HW+1, C]}, {@code q_proj|k_proj|v_proj|c_proj.weight|bias}.
 */
final class AttentionPool2d {
    private final Tensor positionalEmbedding;
    private final Linear q;
    private final Linear k;
    private final Linear v;
    private final Linear c;
    private final long heads;
    private final long spatial;

    AttentionPool2d(ModuleState s, String name, long channels, long heads) {
        this.positionalEmbedding = s.parameterOfRank(name + ".positional_embedding", 2);
        long tokens = positionalEmbedding.size(0);
        this.spatial = Math.round(Math.sqrt(tokens - 1));
        if (spatial * spatial + 1 != tokens || positionalEmbedding.size(1) != channels) {
            throw new WeightsException("tensor '" + name + ".positional_embedding' has shape [" + tokens + ", "
                    + positionalEmbedding.size(1) + "], expected [side^2 + 1, " + channels + "]");
        }
        q = new Linear(s, name + ".q_proj", channels);
        k = new Linear(s, name + ".k_proj", channels);
        v = new Linear(s, name + ".v_proj", channels);
        c = new Linear(s, name + ".c_proj", channels);
        this.heads = heads;
    }

    /** Side of the feature map the positional embedding was made for (input resolution / 32). */
    long spatial() {
        return spatial;
    }

    long outputDim() {
        return c.outFeatures();
    }

    /** {@code [N, C, H, W] -> [N, output_dim]}. */
    Tensor forward(Tensor x) {
        Tensor tokens = x.flatten(2, -1).permute(0, 2, 1);                                   // [N, HW, C]
        Tensor mean = tokens.mean(new long[] {1}, true, new ScalarTypeOptional());           // [N, 1, C]
        tokens = torch.cat(new TensorVector(mean, tokens), 1).add(positionalEmbedding);      // [N, HW+1, C]
        Tensor query = tokens.narrow(1, 0, 1);
        Tensor pooled = Attention.multiHead(q.forward(query), k.forward(tokens), v.forward(tokens), heads, false);
        return c.forward(pooled).squeeze(1);
    }
}
