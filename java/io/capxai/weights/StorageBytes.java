package io.capxai.weights;

import io.capxai.tensors.Tensors;
import org.bytedeco.pytorch.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Reads a storage's raw bytes from a stream straight into a new libtorch tensor, in chunks. */
final class StorageBytes {
    private static final int CHUNK = 1 << 20; // a multiple of every element size

    private StorageBytes() {}

    /**
     * A new 1-D tensor of {@code numel} elements of {@code type}, filled from {@code in}.
     * {@code order} is the byte order of the file; big-endian elements are swapped.
     */
    static Tensor read(InputStream in, StorageType type, long numel, ByteOrder order, String where) throws IOException {
        if (numel < 0) {
            throw new WeightsException(where + ": negative element count " + numel);
        }
        Tensor storage = Tensors.empty(type.dtype, numel);
        readInto(in, storage, type, order, where);
        return storage;
    }

    /** Fills {@code storage} (a contiguous CPU tensor of {@code type}) from {@code in}. */
    static void readInto(InputStream in, Tensor storage, StorageType type, ByteOrder order, String where) throws IOException {
        long bytes = storage.nbytes();
        if (bytes == 0) {
            return;
        }
        MemorySegment target = Tensors.segment(storage);
        boolean swap = order != ByteOrder.nativeOrder() && type.elementSize > 1;
        byte[] chunk = new byte[(int) Math.min(CHUNK, bytes)];
        long done = 0;
        while (done < bytes) {
            int n = (int) Math.min(chunk.length, bytes - done);
            int read = in.readNBytes(chunk, 0, n);
            if (read < n) {
                throw new WeightsException(where + ": truncated: " + (done + read) + " of " + bytes + " bytes present");
            }
            if (swap) {
                swapBytes(chunk, n, type.elementSize);
            }
            MemorySegment.copy(chunk, 0, target, ValueLayout.JAVA_BYTE, done, n);
            done += n;
        }
    }

    private static void swapBytes(byte[] data, int length, int elementSize) {
        for (int start = 0; start < length; start += elementSize) {
            for (int i = 0, j = elementSize - 1; i < j; i++, j--) {
                byte b = data[start + i];
                data[start + i] = data[start + j];
                data[start + j] = b;
            }
        }
    }
}
