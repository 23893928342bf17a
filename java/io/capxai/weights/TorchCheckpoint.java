package io.capxai.weights;

import org.bytedeco.pytorch.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PyTorch's own weight files, read without Python and without running any pickled code:
 * <ul>
 *   <li>{@code torch.save(model.state_dict(), f)}: the zip format (default since PyTorch 1.6)
 *       and the legacy pre-1.6 stream format;</li>
 *   <li>training checkpoints that wrap the state dict, e.g. {@code {"epoch": 3, "state_dict": {...}}}
 *       or {@code {"model": {...}}}: unwrapped when exactly one dict of tensors is found;</li>
 *   <li>TorchScript archives ({@code torch.jit.save}, e.g. OpenAI's {@code RN50.pt}): flattened
 *       to the module's state dict (see {@link TorchScriptArchive}).</li>
 * </ul>
 * Floating-point tensors (fp16, bf16, fp64) come out as contiguous float32; integer tensors
 * (e.g. BatchNorm's {@code num_batches_tracked}) keep their type. Every tensor is a fresh copy:
 * views that shared a storage in the file no longer share memory.
 */
public final class TorchCheckpoint {
    private TorchCheckpoint() {}

    /** Reads a zip or legacy PyTorch checkpoint, or a TorchScript archive. */
    public static StateDict read(Path file) {
        byte[] head = head(file, 4);
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K') {
            return readZip(file);
        }
        if (head.length >= 2 && (head[0] & 0xff) == 0x80) {
            return LegacyCheckpoint.read(file);
        }
        throw new WeightsException(file + ": not a PyTorch checkpoint (neither a zip archive nor a pickle)");
    }

    private static StateDict readZip(Path file) {
        try (TorchZip zip = TorchZip.open(file)) {
            if (zip.isTorchScript()) {
                return TorchScriptArchive.read(zip);
            }
            Object top = RestrictedUnpickler.load(zip.dataPickle(), zip.describe("data.pkl"), zip::storage, false);
            return stateDictOf(top, file.toString());
        }
    }

    /**
     * The state dict inside an unpickled checkpoint: the object itself if it is a dict of
     * tensors, else the one dict of tensors among its values (two levels deep at most).
     */
    static StateDict stateDictOf(Object top, String source) {
        if (!(top instanceof Map<?, ?> map)) {
            throw new WeightsException(source + ": holds " + (top == null ? "None" : top.getClass().getSimpleName())
                    + ", not a dict of tensors");
        }
        if (isTensorDict(map)) {
            return copied(map);
        }
        List<String> paths = new ArrayList<>();
        List<Map<?, ?>> found = new ArrayList<>();
        collectTensorDicts(map, "", 2, paths, found);
        if (found.size() == 1) {
            return copied(found.get(0));
        }
        if (found.isEmpty()) {
            throw new WeightsException(source + ": no dict of tensors found (top-level keys: " + map.keySet() + ")");
        }
        throw new WeightsException(source + ": several dicts of tensors found (" + String.join(", ", paths)
                + "); save the one wanted on its own");
    }

    private static void collectTensorDicts(Map<?, ?> map, String path, int depth, List<String> paths, List<Map<?, ?>> found) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> child) {
                String childPath = path + "[" + e.getKey() + "]";
                if (isTensorDict(child)) {
                    paths.add(childPath);
                    found.add(child);
                } else if (depth > 1) {
                    collectTensorDicts(child, childPath, depth - 1, paths, found);
                }
            }
        }
    }

    private static boolean isTensorDict(Map<?, ?> map) {
        if (map.isEmpty()) {
            return false;
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String) || !(e.getValue() instanceof Tensor)) {
                return false;
            }
        }
        return true;
    }

    private static StateDict copied(Map<?, ?> tensors) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        tensors.forEach((k, v) -> out.put((String) k, StridedView.detachedCopy((Tensor) v)));
        return new StateDict(out, Map.of());
    }

    /** The first {@code n} bytes of {@code file} (fewer if it is shorter). */
    static byte[] head(Path file, int n) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(n);
        } catch (NoSuchFileException e) {
            throw new WeightsException("weight file not found: " + file, e);
        } catch (IOException e) {
            throw new WeightsException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : Arrays.copyOf(bytes, Math.min(bytes.length, 8))) {
            sb.append(String.format("%02x", b & 0xff));
        }
        return sb.toString();
    }
}
