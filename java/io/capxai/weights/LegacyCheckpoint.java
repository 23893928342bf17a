package io.capxai.weights;

import org.bytedeco.pytorch.Tensor;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pre-1.6 {@code torch.save} format ({@code _use_new_zipfile_serialization=False}): one stream
 * of five pickles (magic number, protocol version 1001, system info, the object, the sorted
 * storage keys), then for each key an 8-byte element count and the raw storage bytes. The
 * object refers to storages before their bytes appear, so storages are allocated while
 * unpickling and filled afterwards; tensors are views on them until copied out.
 */
final class LegacyCheckpoint {
    private static final BigInteger MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final int PROTOCOL_VERSION = 1001;

    private LegacyCheckpoint() {}

    static StateDict read(Path file) {
        String source = file.toString();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            Object magic = plainPickle(in, source + " (magic number)");
            if (!(magic instanceof Number n) || !new BigInteger(n.toString()).equals(MAGIC)) {
                throw new WeightsException(file + ": a pickle but not a PyTorch checkpoint (wrong magic number)");
            }
            Object protocol = plainPickle(in, source + " (protocol version)");
            if (!(protocol instanceof Number p) || p.intValue() != PROTOCOL_VERSION) {
                throw new WeightsException(file + ": unsupported legacy protocol version " + protocol);
            }
            ByteOrder order = byteOrder(plainPickle(in, source + " (system info)"), source);

            Map<String, Tensor> storages = new LinkedHashMap<>();
            Map<String, StorageType> types = new LinkedHashMap<>();
            RestrictedUnpickler.StorageSource allocate = (key, type, numel) -> {
                Tensor t = io.capxai.tensors.Tensors.empty(type.dtype, numel);
                storages.put(key, t);
                types.put(key, type);
                return t;
            };
            Object top = RestrictedUnpickler.load(in, source, allocate, false);
            Object keys = plainPickle(in, source + " (storage keys)");
            if (!(keys instanceof List<?> keyList)) {
                throw new WeightsException(file + ": corrupt legacy checkpoint: storage key list missing");
            }
            for (Object key : keyList) {
                Tensor storage = storages.get(String.valueOf(key));
                if (storage == null) {
                    throw new WeightsException(file + ": corrupt legacy checkpoint: data for unknown storage " + key);
                }
                String where = file + ": storage " + key;
                byte[] count = in.readNBytes(8);
                if (count.length < 8) {
                    throw new WeightsException(where + ": truncated before its element count");
                }
                long numel = ByteBuffer.wrap(count).order(order).getLong();
                if (numel != storage.numel()) {
                    throw new WeightsException(where + ": " + numel + " elements in the file, " + storage.numel() + " in the pickle");
                }
                StorageBytes.readInto(in, storage, types.get(String.valueOf(key)), order, where);
            }
            if (keyList.size() != storages.size()) {
                throw new WeightsException(file + ": corrupt legacy checkpoint: " + storages.size() + " storages referenced, "
                        + keyList.size() + " stored");
            }
            return TorchCheckpoint.stateDictOf(top, source);
        } catch (IOException e) {
            throw new WeightsException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** A header pickle: plain values only, no storages. */
    private static Object plainPickle(InputStream in, String source) {
        return RestrictedUnpickler.load(in, source, (key, type, numel) -> {
            throw new WeightsException(source + ": unexpected storage reference");
        }, false);
    }

    private static ByteOrder byteOrder(Object sysInfo, String source) {
        if (sysInfo instanceof Map<?, ?> info && info.get("little_endian") instanceof Boolean little) {
            return little ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        }
        throw new WeightsException(source + ": corrupt legacy checkpoint: system info lacks little_endian");
    }
}
