package io.capxai.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capxai.json.Json;
import io.capxai.tensors.Tensors;
import org.bytedeco.pytorch.Tensor;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors format: an 8-byte little-endian header length, a JSON header
 * ({@code name -> {dtype, shape, data_offsets}} plus optional {@code __metadata__}), then raw
 * little-endian tensor bytes. Files are memory-mapped and each tensor is copied once, straight
 * from the mapping into libtorch memory (never through the JVM heap).
 */
public final class Safetensors {
    private static final long MAX_HEADER = 100L << 20;

    private Safetensors() {}

    /** Reads every tensor of {@code file}, keeping its dtype (F16 stays half; callers convert). */
    public static StateDict read(Path file) {
        try (Arena arena = Arena.ofConfined();
             FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new WeightsException(file + ": not a safetensors file (" + size + " bytes, shorter than the 8-byte header length)");
            }
            MemorySegment map = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            long headerLen = map.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
            if (headerLen <= 0 || headerLen > MAX_HEADER || 8 + headerLen > size) {
                throw new WeightsException(file + ": not a safetensors file or truncated (header length " + headerLen
                        + ", file size " + size + ")");
            }
            byte[] headerBytes = map.asSlice(8, headerLen).toArray(ValueLayout.JAVA_BYTE);
            JsonNode header;
            try {
                header = Json.MAPPER.readTree(new String(headerBytes, StandardCharsets.UTF_8).trim());
            } catch (IOException e) {
                throw new WeightsException(file + ": safetensors header is not valid JSON: " + e.getMessage(), e);
            }
            if (header == null || !header.isObject()) {
                throw new WeightsException(file + ": safetensors header is not a JSON object");
            }
            long dataStart = 8 + headerLen;
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    e.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                tensors.put(e.getKey(), readTensor(file, e.getKey(), e.getValue(), map, dataStart, size));
            }
            return new StateDict(tensors, metadata);
        } catch (NoSuchFileException e) {
            throw new WeightsException("weight file not found: " + file, e);
        } catch (IOException e) {
            throw new WeightsException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static Tensor readTensor(Path file, String name, JsonNode spec, MemorySegment map, long dataStart, long fileSize) {
        String where = file + ": tensor '" + name + "'";
        JsonNode shapeNode = spec.get("shape");
        JsonNode offsets = spec.get("data_offsets");
        JsonNode dtypeNode = spec.get("dtype");
        if (shapeNode == null || offsets == null || dtypeNode == null || offsets.size() != 2) {
            throw new WeightsException(where + ": header entry needs dtype, shape and data_offsets");
        }
        StorageType dtype = StorageType.bySafetensorsName(dtypeNode.asText(), where);
        long[] shape = new long[shapeNode.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong();
            if (shape[i] < 0) {
                throw new WeightsException(where + ": negative dimension in shape " + shapeNode);
            }
            count *= shape[i];
        }
        long begin = offsets.get(0).asLong();
        long end = offsets.get(1).asLong();
        if (begin < 0 || end < begin || dataStart + end > fileSize) {
            throw new WeightsException(where + ": data_offsets " + offsets + " lie outside the file (truncated?)");
        }
        if (end - begin != count * dtype.elementSize) {
            throw new WeightsException(where + ": " + (end - begin) + " bytes for shape " + shapeNode + " of "
                    + dtype.safetensorsName + " (expected " + count * dtype.elementSize + ")");
        }
        if (count == 0) {
            return Tensors.empty(dtype.dtype, shape);
        }
        MemorySegment bytes = map.asSlice(dataStart + begin, end - begin);
        Tensor out = Tensors.empty(dtype.dtype, shape);
        MemorySegment.copy(bytes, 0, Tensors.segment(out), 0, bytes.byteSize());
        return out;
    }

    /** Writes {@code tensors} (any device, any layout) and string {@code metadata} to {@code file}. */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
        ObjectNode header = Json.MAPPER.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        Map<String, Tensor> contiguous = new LinkedHashMap<>();
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue().cpu().contiguous();
            StorageType dtype = StorageType.byScalarType(t.scalar_type(), file + ": tensor '" + e.getKey() + "'");
            ObjectNode entry = header.putObject(e.getKey());
            entry.put("dtype", dtype.safetensorsName);
            var shape = entry.putArray("shape");
            for (long d : Tensors.shape(t)) {
                shape.add(d);
            }
            long n = t.nbytes();
            entry.putArray("data_offsets").add(offset).add(offset + n);
            offset += n;
            contiguous.put(e.getKey(), t);
        }
        byte[] json;
        try {
            json = Json.MAPPER.writeValueAsBytes(header);
        } catch (IOException e) {
            throw new WeightsException("cannot encode safetensors header for " + file, e);
        }
        int padded = (json.length + 7) / 8 * 8; // the format pads the header with spaces to 8 bytes
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(ch, head);
                for (Tensor t : contiguous.values()) {
                    if (t.nbytes() > 0) {
                        writeFully(ch, Tensors.segment(t).asByteBuffer());
                    }
                }
            }
        } catch (IOException e) {
            throw new WeightsException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }
}
