package io.capxai.weights;

import org.bytedeco.pytorch.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one entry point for weight files: {@link #load(Path)} recognises the format by its
 * content, not its name, and returns a {@link StateDict} whose floating-point tensors are
 * contiguous float32 on the CPU.
 *
 * <table>
 *   <caption>Recognised formats</caption>
 *   <tr><th>format</th><th>recognised by</th><th>reader</th></tr>
 *   <tr><td>safetensors</td><td>8-byte header length, then '{'</td><td>{@link Safetensors}</td></tr>
 *   <tr><td>PyTorch zip checkpoint</td><td>"PK" + {@code <root>/data.pkl}</td><td>{@link TorchCheckpoint}</td></tr>
 *   <tr><td>TorchScript archive</td><td>zip with {@code <root>/code/} or {@code constants.pkl}</td><td>{@link TorchScriptArchive}</td></tr>
 *   <tr><td>legacy PyTorch (&lt; 1.6)</td><td>pickle protocol byte 0x80 + magic number</td><td>{@link TorchCheckpoint}</td></tr>
 *   <tr><td>TF.js layers model</td><td>{@code model.json}, or a directory holding one</td><td>{@link TfjsLayersModel}</td></tr>
 * </table>
 */
public final class Weights {
    private Weights() {}

    public static StateDict load(Path path) {
        if (!Files.exists(path)) {
            throw new WeightsException("weight file not found: " + path);
        }
        if (Files.isDirectory(path)) {
            Path json = path.resolve("model.json");
            if (!Files.isRegularFile(json)) {
                throw new WeightsException(path + ": a directory without model.json (the only weight directory format is TF.js)");
            }
            return TfjsLayersModel.readStateDict(json);
        }
        byte[] head = TorchCheckpoint.head(path, 16);
        if (head.length == 0) {
            throw new WeightsException(path + ": empty file");
        }
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return TorchCheckpoint.read(path);
        }
        if ((head[0] & 0xff) == 0x80) {
            return TorchCheckpoint.read(path);
        }
        if (firstNonBlank(head) == '{') {
            return TfjsLayersModel.readStateDict(path);
        }
        if (looksLikeSafetensors(head)) {
            return float32(Safetensors.read(path));
        }
        throw new WeightsException(path + ": unknown weight format (first bytes " + TorchCheckpoint.hex(head)
                + "); expected safetensors, a PyTorch checkpoint, a TorchScript archive or a TF.js model.json");
    }

    /** safetensors: a little-endian header length followed by the JSON header's '{'. */
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
        dict.asMap().forEach((k, v) -> out.put(k, StridedView.detachedCopy(v)));
        return new StateDict(out, dict.metadata());
    }
}
