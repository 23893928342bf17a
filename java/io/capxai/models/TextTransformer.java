package io.capxai.models;

import io.capxai.taps.TapSet;
import io.capxai.tensors.Tensors;
import io.capxai.weights.WeightsException;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import java.util.ArrayList;
import java.util.List;

/**
 * CLIP's text tower:
 * <pre>
 *   token_embedding(tokens) + positional_embedding -> transformer.resblocks.0 .. L-1 (causal)
 *   -> ln_final -> the EOT position (the largest token id) -> @ text_projection
 * </pre>
 * Tap names: {@code token_embedding}, {@code transformer.resblocks.i} (batch-first [N, ctx, width])
 * and {@code ln_final}.
 */
public final class TextTransformer {
    private final ModuleState state;
    private final Tensor tokenEmbedding;
    private final Tensor positionalEmbedding;
    private final List<ResidualAttentionBlock> blocks = new ArrayList<>();
    private final LayerNorm lnFinal;
    private final Tensor textProjection;
    private final long contextLength;
    private final long vocabSize;
    private final long width;

    TextTransformer(ModuleState state, ClipConfig config) {
        this.state = state;
        this.width = config.transformerWidth();
        this.contextLength = config.contextLength();
        this.vocabSize = config.vocabSize();
        tokenEmbedding = state.parameter("token_embedding.weight", vocabSize, width);
        positionalEmbedding = state.parameter("positional_embedding", contextLength, width);
        for (int i = 0; i < config.transformerLayers(); i++) {
            blocks.add(new ResidualAttentionBlock(state, blockName(i), width, config.transformerHeads()));
        }
        if (blocks.isEmpty()) {
            throw new WeightsException("not a CLIP state dict: no 'transformer.resblocks.0.*' tensors");
        }
        lnFinal = new LayerNorm(state, "ln_final", width);
        textProjection = state.parameter("text_projection", width, config.embedDim());
    }

    /** Unnormalised text embeddings {@code [N, embed]} of int64 tokens {@code [N, contextLength]}. */
    public Tensor forward(Tensor tokens, TapSet taps) {
        Tensor checked = checkedTokens(tokens);
        boolean trim = taps.isEmpty();
        taps.begin("CLIP text transformer", tapPoints());
        Tensor out = Scoped.run(() -> {
            // Under the causal mask nothing after the last end-of-text token can reach any EOT
            // position, so without taps (nobody sees the full width) those positions are skipped.
            Tensor ids = trim ? checked.narrow(1, 0, lastEot(checked) + 1) : checked;
            long length = ids.size(1);
            Tensor x = tokenEmbedding.index_select(0, ids.flatten()).reshape(ids.size(0), length, width);
            x = taps.at("token_embedding", x).add(positionalEmbedding.narrow(0, 0, length));
            return blocksAndHead(0, x, ids, taps);
        });
        taps.end();
        return out;
    }

    /**
     * Finishes a pass from the output of block {@code i} ({@code [N, contextLength, width]}, as captured
     * at {@link #blockName(int)}): blocks i+1.., ln_final, EOT pooling (which needs the tokens), projection.
     */
    public Tensor forwardAfterBlock(int i, Tensor blockOutput, Tensor tokens, TapSet taps) {
        if (i < 0 || i >= blocks.size()) {
            throw new IllegalArgumentException("text block index " + i + " out of range 0.." + (blocks.size() - 1));
        }
        Tensor ids = checkedTokens(tokens);
        if (blockOutput.dim() != 3 || blockOutput.size(0) != ids.size(0) || blockOutput.size(1) != contextLength
                || blockOutput.size(2) != width) {
            throw new IllegalArgumentException("text block output must be [" + ids.size(0) + ", " + contextLength + ", "
                    + width + "], got " + Tensors.shapeString(blockOutput));
        }
        taps.begin("CLIP text transformer after " + blockName(i), tapPoints());
        Tensor out = Scoped.run(() -> blocksAndHead(i + 1, blockOutput, ids, taps));
        taps.end();
        return out;
    }

    private Tensor blocksAndHead(int first, Tensor x, Tensor ids, TapSet taps) {
        for (int i = first; i < blocks.size(); i++) {
            x = taps.at(blockName(i), blocks.get(i).forward(x, true));
        }
        x = taps.at("ln_final", lnFinal.forward(x));
        // The end-of-text token has the largest id; its position carries the sentence.
        long n = ids.size(0);
        long length = ids.size(1);
        Tensor rows = torch.arange(new Scalar(n)).to(ids.device(), ScalarType.Long).mul(new Scalar(length))
                .add(eotPositions(ids));
        Tensor eot = x.reshape(n * length, width).index_select(0, rows);                // [N, width]
        return eot.matmul(textProjection);
    }

    private static Tensor eotPositions(Tensor ids) {
        return ids.argmax(new org.bytedeco.pytorch.LongOptional(-1), false);
    }

    private static long lastEot(Tensor ids) {
        return eotPositions(ids).max().item_long();
    }

    private Tensor checkedTokens(Tensor tokens) {
        if (tokens == null || tokens.dim() != 2 || tokens.size(1) != contextLength || tokens.size(0) == 0) {
            throw new IllegalArgumentException("CLIP text: expected tokens [N, " + contextLength + "], got "
                    + (tokens == null ? "null" : Tensors.shapeString(tokens)));
        }
        if (tokens.is_floating_point() || tokens.scalar_type().intern() == ScalarType.Bool) {
            throw new IllegalArgumentException("CLIP text: tokens must be integer ids, got " + tokens.scalar_type());
        }
        Inputs.sameDevice(tokens, state, "CLIP text", "tokens");
        Tensor ids = tokens.to(ScalarType.Long);
        long min = ids.min().item_long();
        long max = ids.max().item_long();
        if (min < 0 || max >= vocabSize) {
            throw new IllegalArgumentException("CLIP text: token ids must lie in [0, " + vocabSize + "), got ["
                    + min + ", " + max + "]");
        }
        return ids;
    }

    public List<String> tapPoints() {
        List<String> points = new ArrayList<>(List.of("token_embedding"));
        for (int i = 0; i < blocks.size(); i++) {
            points.add(blockName(i));
        }
        points.add("ln_final");
        return points;
    }

    public String blockName(int i) {
        return "transformer.resblocks." + i;
    }

    public int blockCount() {
        return blocks.size();
    }

    public long contextLength() {
        return contextLength;
    }

    public long vocabSize() {
        return vocabSize;
    }

    public long outputDim() {
        return textProjection.size(1);
    }

    public ModuleState state() {
        return state;
    }

    public void train(boolean on) {
        state.train(on);
    }
}
