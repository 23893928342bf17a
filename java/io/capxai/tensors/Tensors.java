package io.capxai.tensors;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Small conversions between Java arrays and libtorch tensors.
 *
 * <p>These copy: they are for small results (statistics, scores, test fixtures).
 * Activations stay tensors; the kernels see them through {@link #segment(Tensor)}.
 */
public final class Tensors {
    static {
        Libtorch.configure(); // before libtorch loads
    }

    private Tensors() {}

    /** A new CPU float32 tensor holding a copy of {@code data}, shaped {@code shape}. */
    public static Tensor fromFloats(float[] data, long... shape) {
        checkCount(data.length, shape);
        try (FloatPointer p = new FloatPointer(data)) {
            return torch.from_blob(p, shape, options(ScalarType.Float)).clone();
        }
    }

    /** A new CPU float64 tensor holding a copy of {@code data}. */
    public static Tensor fromDoubles(double[] data, long... shape) {
        checkCount(data.length, shape);
        try (DoublePointer p = new DoublePointer(data)) {
            return torch.from_blob(p, shape, options(ScalarType.Double)).clone();
        }
    }

    /** A new CPU int64 tensor holding a copy of {@code data}. */
    public static Tensor fromLongs(long[] data, long... shape) {
        checkCount(data.length, shape);
        try (LongPointer p = new LongPointer(data)) {
            return torch.from_blob(p, shape, options(ScalarType.Long)).clone();
        }
    }

    /** A new CPU int32 tensor holding a copy of {@code data}. */
    public static Tensor fromInts(int[] data, long... shape) {
        checkCount(data.length, shape);
        try (IntPointer p = new IntPointer(data)) {
            return torch.from_blob(p, shape, options(ScalarType.Int)).clone();
        }
    }

    /** A new uninitialised CPU tensor of {@code type} shaped {@code shape}. */
    public static Tensor empty(ScalarType type, long... shape) {
        return torch.empty(shape, options(type), new org.bytedeco.pytorch.MemoryFormatOptional());
    }

    /** The values of {@code t} (any dtype, any device, any layout) as float32, row-major. */
    public static float[] toFloats(Tensor t) {
        Tensor c = cpuContiguous(t, ScalarType.Float);
        float[] out = new float[Math.toIntExact(c.numel())];
        c.data_ptr_float().get(out);
        return out;
    }

    /** The values of {@code t} as float64, row-major. */
    public static double[] toDoubles(Tensor t) {
        Tensor c = cpuContiguous(t, ScalarType.Double);
        double[] out = new double[Math.toIntExact(c.numel())];
        new DoublePointer(c.data_ptr()).capacity(out.length).get(out);
        return out;
    }

    /** The values of {@code t} as int64, row-major. */
    public static long[] toLongs(Tensor t) {
        Tensor c = cpuContiguous(t, ScalarType.Long);
        long[] out = new long[Math.toIntExact(c.numel())];
        new LongPointer(c.data_ptr()).capacity(out.length).get(out);
        return out;
    }

    /** The shape of {@code t} as a Java array. */
    public static long[] shape(Tensor t) {
        return t.sizes().vec().get();
    }

    /** "[2, 3, 224, 224]" */
    public static String shapeString(Tensor t) {
        return Arrays.toString(shape(t));
    }

    /**
     * A zero-copy view of a contiguous CPU tensor's memory. The segment is only
     * valid while {@code t} is alive; nothing is copied into the JVM heap.
     */
    public static MemorySegment segment(Tensor t) {
        if (t.is_cuda()) {
            throw new IllegalArgumentException("segment(): tensor is on " + t.device().str().getString()
                    + "; device memory must not be dereferenced from Java, use devicePointer()");
        }
        if (!t.is_contiguous()) {
            throw new IllegalArgumentException("segment(): tensor " + shapeString(t) + " is not contiguous");
        }
        return MemorySegment.ofAddress(t.data_ptr().address()).reinterpret(t.nbytes());
    }

    /** The raw address of a tensor's data (CPU or device) as a zero-length segment, for native calls. */
    public static MemorySegment devicePointer(Tensor t) {
        return MemorySegment.ofAddress(t.data_ptr().address());
    }

    /**
     * Whether {@code t} has dtype {@code type}. Compare dtypes only this way: JavaCPP returns
     * enum constants that are not {@code ==} to {@code ScalarType.Float} and friends.
     */
    public static boolean hasType(Tensor t, ScalarType type) {
        return t.scalar_type().value == type.value;
    }

    public static TensorOptions options(ScalarType type) {
        return new TensorOptions().dtype(new org.bytedeco.pytorch.ScalarTypeOptional(type));
    }

    private static Tensor cpuContiguous(Tensor t, ScalarType type) {
        Tensor c = t;
        if (c.is_cuda()) {
            c = c.cpu();
        }
        if (!hasType(c, type)) {
            c = c.to(type);
        }
        return c.contiguous();
    }

    private static void checkCount(int length, long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != length) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " needs " + n + " values, got " + length);
        }
    }
}
