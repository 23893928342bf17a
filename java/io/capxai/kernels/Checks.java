package io.capxai.kernels;

import io.capxai.tensors.Tensors;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.DeviceType;
import org.bytedeco.pytorch.global.torch.ScalarType;

import java.util.Arrays;

/**
 * Argument checks run before every native call. Each failure is an
 * {@link IllegalArgumentException} "op: argument: expected ..., got ...", so a bad call
 * never reaches C (where it could crash the JVM).
 */
final class Checks {
    private Checks() {}

    /** Starts checking one tensor argument; fails on null or an undefined tensor. */
    static TensorCheck arg(String op, String name, Tensor t) {
        if (t == null || t.isNull() || !t.defined()) {
            throw new IllegalArgumentException(op + ": " + name + " is null (expected a tensor)");
        }
        return new TensorCheck(op, name, t);
    }

    static void rank(String op, String name, Tensor t, int rank) {
        arg(op, name, t).rank(rank);
    }

    static IllegalArgumentException fail(String op, String name, String expected, Object actual) {
        return new IllegalArgumentException(op + ": " + name + ": expected " + expected + ", got " + actual);
    }

    /** Fluent checks of one tensor argument. */
    static final class TensorCheck {
        private final String op;
        private final String name;
        final Tensor t;

        private TensorCheck(String op, String name, Tensor t) {
            this.op = op;
            this.name = name;
            this.t = t;
        }

        TensorCheck float32() {
            return dtype(ScalarType.Float, "float32");
        }

        TensorCheck float64() {
            return dtype(ScalarType.Double, "float64");
        }

        TensorCheck int32() {
            return dtype(ScalarType.Int, "int32");
        }

        private TensorCheck dtype(ScalarType expected, String label) {
            // JavaCPP returns a fresh enum object from native calls: compare values, never identity.
            ScalarType actual = t.scalar_type();
            if (actual.value != expected.value) {
                throw fail(op, name, "dtype " + label, actual);
            }
            return this;
        }

        /** Same device type as {@code device} and, for CUDA, the same index. */
        TensorCheck on(Device device) {
            Device actual = t.device();
            boolean same = actual.type().value == device.type().value
                    && (device.type().value == DeviceType.CPU.value || actual.index() == device.index());
            if (!same) {
                throw fail(op, name, "a tensor on " + device.str().getString(), "one on " + actual.str().getString());
            }
            return this;
        }

        TensorCheck contiguous() {
            if (!t.is_contiguous()) {
                throw fail(op, name, "a contiguous tensor (call .contiguous())",
                        "strides " + Arrays.toString(t.strides().vec().get()) + " for shape " + Tensors.shapeString(t));
            }
            return this;
        }

        TensorCheck rank(int... allowed) {
            long dim = t.dim();
            for (int r : allowed) {
                if (dim == r) {
                    return nonEmpty();
                }
            }
            throw fail(op, name, allowed.length == 1 ? "rank " + allowed[0] : "rank " + Arrays.toString(allowed),
                    "shape " + Tensors.shapeString(t));
        }

        TensorCheck shape(long... expected) {
            long[] actual = Tensors.shape(t);
            if (!Arrays.equals(actual, expected)) {
                throw fail(op, name, "shape " + Arrays.toString(expected), Arrays.toString(actual));
            }
            return nonEmpty();
        }

        private TensorCheck nonEmpty() {
            if (t.numel() == 0) {
                throw fail(op, name, "a non-empty tensor", "shape " + Tensors.shapeString(t));
            }
            return this;
        }

        long size(int dim) {
            return t.size(dim);
        }

        /** Positions per plane: h * w for [n, c, h, w], the last size for [n, c, hw]. */
        long positions() {
            return t.dim() == 4 ? t.size(2) * t.size(3) : t.size(2);
        }
    }
}
