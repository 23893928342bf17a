package io.capxai.training;

import io.capxai.weights.StateDict;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fresh weights in PyTorch's state-dict layouts, initialised as PyTorch does, for models trained
 * from scratch: a torchvision ResNet-18, a 2-class head, and a small CLIP-style model with OpenAI's
 * keys (initialised as CLIP's {@code initialize_parameters}). Seed torch first for reproducibility.
 */
final class ParameterInit {
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();

    private ParameterInit() {}

    /** torchvision {@code resnet18(num_classes=classes)}: kaiming-normal convs (fan_out), BN 1/0, default Linear. */
    static StateDict resnet18(int classes) {
        ParameterInit p = new ParameterInit();
        p.convKaiming("conv1", 64, 3, 7);
        p.batchNorm("bn1", 64, 1.0);
        long in = 64;
        for (int stage = 1; stage <= 4; stage++) {
            long width = 64L << (stage - 1);
            for (int b = 0; b < 2; b++) {
                String n = "layer" + stage + "." + b;
                p.convKaiming(n + ".conv1", width, b == 0 ? in : width, 3);
                p.batchNorm(n + ".bn1", width, 1.0);
                p.convKaiming(n + ".conv2", width, width, 3);
                p.batchNorm(n + ".bn2", width, 1.0);
                if (b == 0 && stage > 1) {
                    p.convKaiming(n + ".downsample.0", width, in, 1);
                    p.batchNorm(n + ".downsample.1", width, 1.0);
                }
            }
            in = width;
        }
        p.linear("fc", classes, 512, true);
        return new StateDict(p.tensors, Map.of("architecture", "torchvision_resnet18"));
    }

    /** A fresh {@code nn.Linear(in, out)}: weight and bias uniform in +-1/sqrt(in). */
    static void replaceHead(Map<String, Tensor> weights, String name, long out, long in) {
        ParameterInit p = new ParameterInit();
        p.linear(name, out, in, true);
        weights.putAll(p.tensors);
    }

    /** A CLIP-style model with OpenAI's keys, sized by {@code arch}, initialised as CLIP does. */
    static Map<String, Tensor> clip(ClipArchitecture arch) {
        ParameterInit p = new ParameterInit();
        long w = arch.visionWidth();
        // ModifiedResNet stem: three 3x3 convs (w/2, w/2, w), then anti-aliased bottlenecks
        p.convKaiming("visual.conv1", w / 2, 3, 3);
        p.batchNorm("visual.bn1", w / 2, 1.0);
        p.convKaiming("visual.conv2", w / 2, w / 2, 3);
        p.batchNorm("visual.bn2", w / 2, 1.0);
        p.convKaiming("visual.conv3", w, w / 2, 3);
        p.batchNorm("visual.bn3", w, 1.0);
        long in = w;
        int[] layers = arch.visionLayers();
        for (int stage = 0; stage < 4; stage++) {
            long planes = w << stage;
            for (int b = 0; b < layers[stage]; b++) {
                String n = "visual.layer" + (stage + 1) + "." + b;
                p.convKaiming(n + ".conv1", planes, in, 1);
                p.batchNorm(n + ".bn1", planes, 1.0);
                p.convKaiming(n + ".conv2", planes, planes, 3);
                p.batchNorm(n + ".bn2", planes, 1.0);
                p.convKaiming(n + ".conv3", planes * 4, planes, 1);
                p.batchNorm(n + ".bn3", planes * 4, 0.0); // CLIP zero-inits the last BN of each block
                boolean stride = stage > 0 && b == 0;
                if (stride || in != planes * 4) {
                    p.convKaiming(n + ".downsample.0", planes * 4, in, 1);
                    p.batchNorm(n + ".downsample.1", planes * 4, 1.0);
                }
                in = planes * 4;
            }
        }
        long spatial = arch.resolution() / 32;
        double poolStd = Math.pow(in, -0.5);
        p.normal("visual.attnpool.positional_embedding", poolStd, spatial * spatial + 1, in);
        for (String proj : new String[] {"q_proj", "k_proj", "v_proj"}) {
            p.normal("visual.attnpool." + proj + ".weight", poolStd, in, in);
            p.zeros("visual.attnpool." + proj + ".bias", in);
        }
        p.normal("visual.attnpool.c_proj.weight", poolStd, arch.embedDim(), in);
        p.zeros("visual.attnpool.c_proj.bias", arch.embedDim());

        long tw = arch.textWidth();
        p.normal("token_embedding.weight", 0.02, arch.vocabSize(), tw);
        p.normal("positional_embedding", 0.01, arch.contextLength(), tw);
        double projStd = Math.pow(tw, -0.5) * Math.pow(2.0 * arch.textLayers(), -0.5);
        double attnStd = Math.pow(tw, -0.5);
        double fcStd = Math.pow(2.0 * tw, -0.5);
        for (int i = 0; i < arch.textLayers(); i++) {
            String n = "transformer.resblocks." + i;
            p.ones(n + ".ln_1.weight", tw);
            p.zeros(n + ".ln_1.bias", tw);
            p.normal(n + ".attn.in_proj_weight", attnStd, 3 * tw, tw);
            p.zeros(n + ".attn.in_proj_bias", 3 * tw);
            p.normal(n + ".attn.out_proj.weight", projStd, tw, tw);
            p.zeros(n + ".attn.out_proj.bias", tw);
            p.ones(n + ".ln_2.weight", tw);
            p.zeros(n + ".ln_2.bias", tw);
            p.normal(n + ".mlp.c_fc.weight", fcStd, 4 * tw, tw);
            p.zeros(n + ".mlp.c_fc.bias", 4 * tw);
            p.normal(n + ".mlp.c_proj.weight", projStd, tw, 4 * tw);
            p.zeros(n + ".mlp.c_proj.bias", tw);
        }
        p.ones("ln_final.weight", tw);
        p.zeros("ln_final.bias", tw);
        p.normal("text_projection", attnStd, tw, arch.embedDim());
        p.tensors.put("logit_scale", torch.ones(1).mul_(new org.bytedeco.pytorch.Scalar(Math.log(1 / 0.07))).squeeze());
        return p.tensors;
    }

    private void convKaiming(String name, long out, long in, long k) {
        double std = Math.sqrt(2.0 / (out * k * k)); // kaiming_normal_(mode="fan_out", nonlinearity="relu")
        normal(name + ".weight", std, out, in, k, k);
    }

    private void batchNorm(String name, long channels, double gamma) {
        tensors.put(name + ".weight", torch.full(new long[] {channels}, new org.bytedeco.pytorch.Scalar(gamma)));
        zeros(name + ".bias", channels);
        zeros(name + ".running_mean", channels);
        ones(name + ".running_var", channels);
    }

    private void linear(String name, long out, long in, boolean bias) {
        double bound = 1.0 / Math.sqrt(in);
        tensors.put(name + ".weight", uniform(bound, out, in));
        if (bias) {
            tensors.put(name + ".bias", uniform(bound, out));
        }
    }

    private void normal(String name, double std, long... shape) {
        tensors.put(name, torch.randn(shape).mul_(new org.bytedeco.pytorch.Scalar(std)));
    }

    private void zeros(String name, long... shape) {
        tensors.put(name, torch.zeros(shape));
    }

    private void ones(String name, long... shape) {
        tensors.put(name, torch.ones(shape));
    }

    private static Tensor uniform(double bound, long... shape) {
        return torch.rand(shape).mul_(new org.bytedeco.pytorch.Scalar(2 * bound)).sub_(new org.bytedeco.pytorch.Scalar(bound));
    }
}
