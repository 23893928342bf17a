package io.capxai.models;

import io.capxai.weights.StateDict;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * State dicts with random weights in the exact layouts the models read: for benchmarks, tests and
 * as the starting point of training. Convs get He-normal weights, linear layers 1/sqrt(fan_in),
 * BatchNorm identity statistics, LayerNorm ones and zeros.
 */
public final class RandomWeights {
    private RandomWeights() {}

    /** torchvision ResNet: {@code blocks} per stage, e.g. {2,2,2,2} (18, BasicBlock) or {3,4,6,3} (50, Bottleneck). */
    public static StateDict resnet(int[] blocks, boolean bottleneck, long classes, long seed) {
        torch.manual_seed(seed);
        Map<String, Tensor> w = new LinkedHashMap<>();
        conv(w, "conv1", 64, 3, 7);
        bn(w, "bn1", 64);
        long in = 64;
        for (int s = 0; s < 4; s++) {
            long planes = 64L << s;
            long out = bottleneck ? planes * 4 : planes;
            for (int i = 0; i < blocks[s]; i++) {
                String b = "layer" + (s + 1) + "." + i;
                long stride = (s > 0 && i == 0) ? 2 : 1;
                if (bottleneck) {
                    conv(w, b + ".conv1", planes, in, 1);
                    bn(w, b + ".bn1", planes);
                    conv(w, b + ".conv2", planes, planes, 3);
                    bn(w, b + ".bn2", planes);
                    conv(w, b + ".conv3", out, planes, 1);
                    bn(w, b + ".bn3", out);
                } else {
                    conv(w, b + ".conv1", planes, in, 3);
                    bn(w, b + ".bn1", planes);
                    conv(w, b + ".conv2", planes, planes, 3);
                    bn(w, b + ".bn2", planes);
                }
                if (stride != 1 || in != out) {
                    conv(w, b + ".downsample.0", out, in, 1);
                    bn(w, b + ".downsample.1", out);
                }
                in = out;
            }
        }
        linear(w, "fc", classes, in);
        return new StateDict(w);
    }

    /** torchvision ResNet-50 layout. */
    public static StateDict resnet50(long classes, long seed) {
        return resnet(new int[] {3, 4, 6, 3}, true, classes, seed);
    }

    /**
     * OpenAI CLIP with a ModifiedResNet image tower. RN50 is {@code clipResNet({3,4,6,3}, 64, 224, 1024, 512, 12, 49408, seed)}.
     */
    public static StateDict clipResNet(int[] layers, long width, long resolution, long embedDim, long textWidth,
                                       int textLayers, long vocab, long seed) {
        torch.manual_seed(seed);
        Map<String, Tensor> w = new LinkedHashMap<>();
        conv(w, "visual.conv1", width / 2, 3, 3);
        bn(w, "visual.bn1", width / 2);
        conv(w, "visual.conv2", width / 2, width / 2, 3);
        bn(w, "visual.bn2", width / 2);
        conv(w, "visual.conv3", width, width / 2, 3);
        bn(w, "visual.bn3", width);
        long in = width;
        for (int s = 0; s < 4; s++) {
            long planes = width << s;
            for (int i = 0; i < layers[s]; i++) {
                String b = "visual.layer" + (s + 1) + "." + i;
                boolean strided = s > 0 && i == 0;
                conv(w, b + ".conv1", planes, in, 1);
                bn(w, b + ".bn1", planes);
                conv(w, b + ".conv2", planes, planes, 3);
                bn(w, b + ".bn2", planes);
                conv(w, b + ".conv3", planes * 4, planes, 1);
                bn(w, b + ".bn3", planes * 4);
                if (strided || in != planes * 4) {
                    conv(w, b + ".downsample.0", planes * 4, in, 1);
                    bn(w, b + ".downsample.1", planes * 4);
                }
                in = planes * 4;
            }
        }
        long side = resolution / 32;
        w.put("visual.attnpool.positional_embedding", torch.randn(side * side + 1, in).div(new Scalar(Math.sqrt(in))));
        for (String p : new String[] {"q_proj", "k_proj", "v_proj"}) {
            linear(w, "visual.attnpool." + p, in, in);
        }
        linear(w, "visual.attnpool.c_proj", embedDim, in);
        text(w, textWidth, textLayers, vocab, 77, embedDim);
        return new StateDict(w);
    }

    /** OpenAI CLIP with a ViT image tower (ViT-B/32: width 768, 12 layers, patch 32, 224, embed 512). */
    public static StateDict clipViT(long width, int layers, long patch, long resolution, long embedDim, long textWidth,
                                    int textLayers, long vocab, long seed) {
        torch.manual_seed(seed);
        Map<String, Tensor> w = new LinkedHashMap<>();
        conv(w, "visual.conv1", width, 3, patch);
        long grid = resolution / patch;
        w.put("visual.class_embedding", torch.randn(width).div(new Scalar(Math.sqrt(width))));
        w.put("visual.positional_embedding", torch.randn(grid * grid + 1, width).div(new Scalar(Math.sqrt(width))));
        layerNorm(w, "visual.ln_pre", width);
        for (int i = 0; i < layers; i++) {
            block(w, "visual.transformer.resblocks." + i, width);
        }
        layerNorm(w, "visual.ln_post", width);
        w.put("visual.proj", torch.randn(width, embedDim).div(new Scalar(Math.sqrt(width))));
        text(w, textWidth, textLayers, vocab, 77, embedDim);
        return new StateDict(w);
    }

    private static void text(Map<String, Tensor> w, long width, int layers, long vocab, long context, long embedDim) {
        w.put("token_embedding.weight", torch.randn(vocab, width).mul(new Scalar(0.02)));
        w.put("positional_embedding", torch.randn(context, width).mul(new Scalar(0.01)));
        for (int i = 0; i < layers; i++) {
            block(w, "transformer.resblocks." + i, width);
        }
        layerNorm(w, "ln_final", width);
        w.put("text_projection", torch.randn(width, embedDim).div(new Scalar(Math.sqrt(width))));
        w.put("logit_scale", torch.full(new long[] {}, new Scalar(Math.log(1 / 0.07))));
    }

    private static void block(Map<String, Tensor> w, String name, long width) {
        layerNorm(w, name + ".ln_1", width);
        w.put(name + ".attn.in_proj_weight", torch.randn(3 * width, width).div(new Scalar(Math.sqrt(width))));
        w.put(name + ".attn.in_proj_bias", torch.zeros(3 * width));
        linear(w, name + ".attn.out_proj", width, width);
        layerNorm(w, name + ".ln_2", width);
        linear(w, name + ".mlp.c_fc", 4 * width, width);
        linear(w, name + ".mlp.c_proj", width, 4 * width);
    }

    private static void conv(Map<String, Tensor> w, String name, long out, long in, long k) {
        w.put(name + ".weight", torch.randn(out, in, k, k).mul(new Scalar(Math.sqrt(2.0 / (in * k * k)))));
    }

    private static void bn(Map<String, Tensor> w, String name, long c) {
        w.put(name + ".weight", torch.ones(c));
        w.put(name + ".bias", torch.zeros(c));
        w.put(name + ".running_mean", torch.zeros(c));
        w.put(name + ".running_var", torch.ones(c));
    }

    private static void linear(Map<String, Tensor> w, String name, long out, long in) {
        w.put(name + ".weight", torch.randn(out, in).div(new Scalar(Math.sqrt(in))));
        w.put(name + ".bias", torch.zeros(out));
    }

    private static void layerNorm(Map<String, Tensor> w, String name, long dim) {
        w.put(name + ".weight", torch.ones(dim));
        w.put(name + ".bias", torch.zeros(dim));
    }
}
