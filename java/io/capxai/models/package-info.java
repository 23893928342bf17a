/**
 * The networks, written as plain classes over libtorch's functional ops, with tap points named as
 * the PyTorch modules: torchvision {@link io.capxai.models.ResNet} (and Keras' ResNet50 through
 * {@link io.capxai.models.KerasResNet50}), and OpenAI {@link io.capxai.models.ClipModel} with a
 * {@link io.capxai.models.ModifiedResNet} or {@link io.capxai.models.VisionTransformer} image tower and
 * a {@link io.capxai.models.TextTransformer}.
 *
 * <p>Conventions: weights are read from a {@link io.capxai.weights.StateDict} with the original
 * keys, checked and widened to float32 ({@link io.capxai.models.ModuleState}); architectures are
 * inferred from the tensors; transformer activations are batch-first {@code [N, L, D]}; every
 * forward pass takes its own {@link io.capxai.taps.TapSet}. Each block runs in a JavaCPP
 * {@code PointerScope} so its intermediates are freed on return (see {@code Scoped}); what a caller
 * keeps (outputs, captures) survives.
 */
package io.capxai.models;
