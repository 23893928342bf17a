package io.capxai.weights;

import org.bytedeco.pytorch.Tensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TorchScript archive ({@code torch.jit.save}) read as the module's {@code state_dict()}.
 *
 * <p>Its {@code data.pkl} pickles the module tree: objects of classes {@code __torch__.<...>}
 * whose attributes are submodules, parameters, buffers and plain values. These objects are read
 * as attribute containers only ({@link ScriptObject}). Which tensor attributes are parameters or
 * buffers is declared in the class's source under {@code code/}
 * ({@code __parameters__ = ["weight", "bias", ]}, {@code __buffers__ = [...]}); those two lines
 * are read as text, never run. The result is named and ordered as {@code state_dict()}: per
 * module its parameters, then its buffers, then its submodules, with dotted paths
 * ({@code visual.conv1.weight}). Plain tensor attributes (e.g. a stored attention mask), flags
 * and other values are dropped. A class whose declaration cannot be found keeps all its tensor
 * attributes.
 */
public final class TorchScriptArchive {
    private static final int MAX_DEPTH = 64;
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");

    private final TorchZip zip;
    private final Map<String, Declaration> declarations = new HashMap<>();

    /** The tensors a class declares as state, in declaration order; null lists mean "unknown". */
    private record Declaration(List<String> parameters, List<String> buffers) {
        static final Declaration UNKNOWN = new Declaration(null, null);
    }

    private TorchScriptArchive(TorchZip zip) {
        this.zip = zip;
    }

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
        new TorchScriptArchive(zip).flatten("", module, out, 0);
        if (out.isEmpty()) {
            throw new WeightsException(zip.file + ": TorchScript module " + module.className() + " has no tensors");
        }
        return new StateDict(out, Map.of("torchscript.class", module.className()));
    }

    private void flatten(String prefix, ScriptObject module, Map<String, Tensor> out, int depth) {
        if (depth > MAX_DEPTH) {
            throw new WeightsException(zip.file + ": TorchScript module tree deeper than " + MAX_DEPTH + " at '" + prefix + "' (cyclic?)");
        }
        Map<String, Object> attributes = module.attributes();
        Declaration declared = declaration(module.className());
        if (declared.parameters() == null) {
            attributes.forEach((name, value) -> {
                if (value instanceof Tensor t) {
                    out.put(prefix + name, StridedView.detachedCopy(t));
                }
            });
        } else {
            for (List<String> names : List.of(declared.parameters(), declared.buffers())) {
                for (String name : names) {
                    if (attributes.get(name) instanceof Tensor t) { // an absent bias is None
                        out.put(prefix + name, StridedView.detachedCopy(t));
                    }
                }
            }
        }
        attributes.forEach((name, value) -> {
            if (value instanceof ScriptObject child) {
                flatten(prefix + name + ".", child, out, depth + 1);
            }
        });
    }

    /** The declaration of {@code __torch__.a.b.Cls}, read from {@code code/__torch__/a/b.py}. */
    private Declaration declaration(String className) {
        return declarations.computeIfAbsent(className, c -> {
            int dot = c.lastIndexOf('.');
            String source = dot < 0 ? null : zip.readText("code/" + c.substring(0, dot).replace('.', '/') + ".py");
            return source == null ? Declaration.UNKNOWN : parseDeclaration(source, c.substring(dot + 1));
        });
    }

    /** Finds {@code class Cls(...):} in {@code source} and its {@code __parameters__} and {@code __buffers__} lines. */
    private static Declaration parseDeclaration(String source, String simpleName) {
        List<String> parameters = null;
        List<String> buffers = null;
        boolean inClass = false;
        for (String line : source.split("\n")) {
            if (line.startsWith("class ")) {
                inClass = line.startsWith("class " + simpleName + "(") || line.startsWith("class " + simpleName + ":");
                continue;
            }
            String trimmed = line.trim();
            if (inClass && trimmed.startsWith("__parameters__ =")) {
                parameters = quoted(trimmed);
            } else if (inClass && trimmed.startsWith("__buffers__ =")) {
                buffers = quoted(trimmed);
            }
        }
        if (parameters == null || buffers == null) {
            return Declaration.UNKNOWN;
        }
        return new Declaration(parameters, buffers);
    }

    private static List<String> quoted(String line) {
        List<String> out = new ArrayList<>();
        Matcher m = QUOTED.matcher(line);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
