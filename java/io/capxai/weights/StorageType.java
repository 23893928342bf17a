package io.capxai.weights;

import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The typed storage classes a PyTorch pickle names ({@code torch.FloatStorage}, ...), with the
 * libtorch dtype and element size of the raw bytes behind them.
 */
enum StorageType {
    DOUBLE("DoubleStorage", ScalarType.Double, 8),
    FLOAT("FloatStorage", ScalarType.Float, 4),
    HALF("HalfStorage", ScalarType.Half, 2),
    BFLOAT16("BFloat16Storage", ScalarType.BFloat16, 2),
    LONG("LongStorage", ScalarType.Long, 8),
    INT("IntStorage", ScalarType.Int, 4),
    SHORT("ShortStorage", ScalarType.Short, 2),
    CHAR("CharStorage", ScalarType.Char, 1),
    BYTE("ByteStorage", ScalarType.Byte, 1),
    BOOL("BoolStorage", ScalarType.Bool, 1);

    /** The class name under module {@code torch}. */
    final String className;
    final ScalarType dtype;
    final int elementSize;

    StorageType(String className, ScalarType dtype, int elementSize) {
        this.className = className;
        this.dtype = dtype;
        this.elementSize = elementSize;
    }

    /** The storage type called {@code torch.<className>}, or null. */
    static StorageType byClassName(String className) {
        for (StorageType t : values()) {
            if (t.className.equals(className)) {
                return t;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "torch." + className;
    }
}
