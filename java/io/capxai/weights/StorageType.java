package io.capxai.weights;

import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The element types of raw tensor bytes that capxai reads and writes: the typed storage classes a
 * PyTorch pickle names ({@code torch.FloatStorage}, ...) and the safetensors dtypes ({@code F32},
 * ...), with the libtorch dtype and element size behind them.
 */
enum StorageType {
    DOUBLE("DoubleStorage", "F64", ScalarType.Double, 8),
    FLOAT("FloatStorage", "F32", ScalarType.Float, 4),
    HALF("HalfStorage", "F16", ScalarType.Half, 2),
    BFLOAT16("BFloat16Storage", "BF16", ScalarType.BFloat16, 2),
    LONG("LongStorage", "I64", ScalarType.Long, 8),
    INT("IntStorage", "I32", ScalarType.Int, 4),
    SHORT("ShortStorage", "I16", ScalarType.Short, 2),
    CHAR("CharStorage", "I8", ScalarType.Char, 1),
    BYTE("ByteStorage", "U8", ScalarType.Byte, 1),
    BOOL("BoolStorage", "BOOL", ScalarType.Bool, 1);

    /** The class name under module {@code torch}. */
    final String className;
    /** The name in a safetensors header. */
    final String safetensorsName;
    final ScalarType dtype;
    final int elementSize;

    StorageType(String className, String safetensorsName, ScalarType dtype, int elementSize) {
        this.className = className;
        this.safetensorsName = safetensorsName;
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

    /** The type a safetensors header calls {@code name}. */
    static StorageType bySafetensorsName(String name, String where) {
        for (StorageType t : values()) {
            if (t.safetensorsName.equals(name)) {
                return t;
            }
        }
        throw new WeightsException(where + ": unsupported dtype " + name);
    }

    /** The type of libtorch's {@code type}. */
    static StorageType byScalarType(ScalarType type, String where) {
        for (StorageType t : values()) {
            if (t.dtype.value == type.value) {
                return t;
            }
        }
        throw new WeightsException(where + ": dtype " + type + " cannot be stored in safetensors");
    }

    @Override
    public String toString() {
        return "torch." + className;
    }
}
