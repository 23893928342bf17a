package io.capxai.weights;

import org.bytedeco.pytorch.Tensor;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A TorchScript archive ({@code torch.jit.save}) read as a state dict. Its {@code data.pkl}
 * pickles the module tree: objects of classes {@code __torch__.<...>} whose attributes are
 * submodules, parameters, buffers and plain values. These objects are read as attribute
 * containers only ({@link ScriptObject}); the archive's {@code code/} is never looked at.
 * Tensors are named by their attribute path ({@code visual.conv1.weight}), as
 * {@code module.state_dict()} names them; plain values ({@code training} flags, ints, lists)
 * are dropped. One difference from {@code state_dict()}: non-persistent buffers are included,
 * since TorchScript stores them like any other attribute.
 */
public final class TorchScriptArchive {
    private static final int MAX_DEPTH = 64;

    private TorchScriptArchive() {}

    public static StateDict read(Path file) {
        try (TorchZip zip = TorchZip.open(file)) {
            if (!zip.isTorchScript()) {
                throw new WeightsException(file + ": not a TorchScript archive (no code/ or constants.pkl)");
            }
            return read(zip);
        }
    }

    static StateDict read(TorchZip zip) {
        Object top = RestrictedUnpickler.load(zip.dataPickle(), zip.describe("data.pkl"), zip::storage, true);
        if (!(top instanceof ScriptObject module)) {
            throw new WeightsException(zip.describe("data.pkl") + ": does not hold a TorchScript module");
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        flatten("", module, out, 0);
        if (out.isEmpty()) {
            throw new WeightsException(zip.file + ": TorchScript module " + module.className() + " has no tensors");
        }
        return new StateDict(out, Map.of("torchscript.class", module.className()));
    }

    private static void flatten(String prefix, ScriptObject module, Map<String, Tensor> out, int depth) {
        if (depth > MAX_DEPTH) {
            throw new WeightsException("TorchScript module tree deeper than " + MAX_DEPTH + " at '" + prefix + "' (cyclic?)");
        }
        for (Map.Entry<String, Object> e : module.attributes().entrySet()) {
            String name = prefix + e.getKey();
            if (e.getValue() instanceof Tensor t) {
                out.put(name, StridedView.detachedCopy(t));
            } else if (e.getValue() instanceof ScriptObject child) {
                flatten(name + ".", child, out, depth + 1);
            }
        }
    }
}
