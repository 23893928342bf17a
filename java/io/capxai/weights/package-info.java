/**
 * Weight files in, {@link io.capxai.weights.StateDict} out.
 *
 * <p>Call {@link io.capxai.weights.Weights#load(java.nio.file.Path)}: it recognises the format by
 * content and gives named float32 tensors in PyTorch layout and naming. The readers behind it:
 * <ul>
 *   <li>{@link io.capxai.weights.Safetensors}: memory-mapped, header checked against the file;</li>
 *   <li>{@link io.capxai.weights.TorchCheckpoint}: {@code torch.save} zip and legacy files,
 *       nested training checkpoints unwrapped;</li>
 *   <li>{@link io.capxai.weights.TorchScriptArchive}: {@code torch.jit.save} archives such as
 *       OpenAI's CLIP {@code RN50.pt}, flattened to the module's {@code state_dict()} names;</li>
 *   <li>{@link io.capxai.weights.TfjsLayersModel} and
 *       {@link io.capxai.weights.KerasResNet50Weights}: TF.js layers models, and the Keras
 *       ResNet50 ImageNet weights renamed to torchvision's ResNet-50 keys;</li>
 *   <li>{@link io.capxai.weights.ImageNetClasses}: the 1,000 ImageNet class ids and names.</li>
 * </ul>
 *
 * <p>Security: PyTorch files are pickles, and a pickle can run any Python code when Python reads
 * it. Here no pickle is ever executed: {@code RestrictedUnpickler} builds plain data and tensors
 * only, resolves the few names a state dict needs from an allow-list and refuses every other
 * class or function by name before anything is built. Storage offsets, strides and sizes are
 * checked in Java before libtorch sees them.
 */
package io.capxai.weights;
