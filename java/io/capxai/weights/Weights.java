package io.capxai.weights;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one entry point for weight files: {@link #load(Path)} recognises the format by content,
 * not by name, and returns a {@link StateDict} whose floating-point tensors are contiguous
 * float32 on the CPU (integer tensors such as {@code num_batches_tracked} keep their type).
 */
public final class Weights {
    /** The weight formats capxai reads, and how each is recognised. */
    public enum Format {
        /** 8-byte little-endian header length, then the JSON header's '{'. */
        SAFETENSORS,
        /** {@code torch.save} zip: "PK" and one {@code <root>/data.pkl}. */
        TORCH_ZIP,
        /** {@code torch.jit.save} zip: as TORCH_ZIP, plus {@code <root>/code/} or {@code constants.pkl}. */
        TORCHSCRIPT,
        /** {@code torch.save} before PyTorch 1.6: a pickle (0x80) starting with torch's magic number. */
        TORCH_LEGACY,
        /** TF.js layers model: a {@code model.json} (first non-blank byte '{') or a directory holding one. */
        TFJS
    }

    private Weights() {}

    /** Reads any supported weight file (see {@link Format}). */
    public static StateDict load(Path path) {
        return switch (detect(path)) {
            case SAFETENSORS -> float32(Safetensors.read(path));
            case TORCH_ZIP, TORCH_LEGACY -> TorchCheckpoint.read(path);
            case TORCHSCRIPT -> TorchScriptArchive.read(path);
            case TFJS -> TfjsLayersModel.readStateDict(Files.isDirectory(path) ? path.resolve("model.json") : path);
        };
    }

    /** The format of {@code path}, from its first bytes (and, for zips, their entry names). */
    public static Format detect(Path path) {
        if (!Files.exists(path)) {
            throw new WeightsException("weight file not found: " + path);
        }
        if (Files.isDirectory(path)) {
            if (!Files.isRegularFile(path.resolve("model.json"))) {
                throw new WeightsException(path + ": a directory without model.json (the only weight directory format is TF.js)");
            }
            return Format.TFJS;
        }
        byte[] head = TorchCheckpoint.head(path, 16);
        if (head.length == 0) {
            throw new WeightsException(path + ": empty file");
        }
        // first: a header length such as 128 starts with byte 0x80, like a pickle
        if (looksLikeSafetensors(head)) {
            return Format.SAFETENSORS;
        }
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            try (TorchZip zip = TorchZip.open(path)) {
                return zip.isTorchScript() ? Format.TORCHSCRIPT : Format.TORCH_ZIP;
            }
        }
        // a pickle: the legacy reader checks torch's magic number and names a mismatch
        if ((head[0] & 0xff) == 0x80) {
            return Format.TORCH_LEGACY;
        }
        if (firstNonBlank(head) == '{') {
            return Format.TFJS;
        }
        throw new WeightsException(path + ": unknown weight format (first bytes " + TorchCheckpoint.hex(head)
                + "); expected safetensors, a PyTorch checkpoint, a TorchScript archive or a TF.js model.json");
    }

    private static boolean looksLikeSafetensors(byte[] head) {
        if (head.length < 9) {
            return false;
        }
        long headerLength = ByteBuffer.wrap(head, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return headerLength > 0 && head[8] == '{';
    }

    private static int firstNonBlank(byte[] head) {
        for (byte b : head) {
            if (!Character.isWhitespace(b)) {
                return b;
            }
        }
        return -1;
    }

    /** {@code dict} with every floating-point tensor converted to float32 (integer tensors kept). */
    static StateDict float32(StateDict dict) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        dict.asMap().forEach((k, v) -> {
            boolean convert = torch.is_floating_point(v) && v.scalar_type().value != ScalarType.Float.value;
            out.put(k, convert ? StridedView.detachedCopy(v) : v); // safetensors tensors are fresh copies already
        });
        return new StateDict(out, dict.metadata());
    }
}
