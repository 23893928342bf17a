package io.capxai.weights;

import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;
import org.bytedeco.pytorch.Tensor;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pickle reader that builds plain data and tensors, and nothing else.
 *
 * <p>A pickle is a small program: {@code GLOBAL os system} followed by {@code REDUCE} runs a shell
 * command in Python. This reader resolves every class or function a pickle names against a
 * short allow-list of what a PyTorch state dict needs ({@code collections.OrderedDict}, the
 * {@code torch._utils._rebuild_*} functions, the {@code torch.*Storage} types, TorchScript's list
 * builders) and rejects anything else with a {@link WeightsException} naming it, before any
 * object is built. TorchScript classes ({@code __torch__.*}) are allowed only when asked for, and
 * then only as {@link ScriptObject} attribute containers. Pyrolite's own registry of Java
 * constructors is bypassed entirely.
 *
 * <p>Tensors come out as views on their storages (see {@link StridedView}); storages are read
 * through a {@link StorageSource} once per key, so views sharing a storage share its memory.
 */
final class RestrictedUnpickler extends Unpickler {

    /** Supplies the raw storage {@code key} as a 1-D tensor of {@code numel} elements. */
    interface StorageSource {
        Tensor load(String key, StorageType type, long numel);
    }

    /** Functions that only wrap or tag a value they are given (TorchScript typed containers). */
    private static final Set<String> IDENTITY_FUNCTIONS = Set.of(
            "torch._utils._rebuild_parameter",
            "torch._utils._rebuild_parameter_with_state",
            "torch.jit._pickle.restore_type_tag",
            "torch.jit._pickle.build_intlist",
            "torch.jit._pickle.build_floatlist",
            "torch.jit._pickle.build_doublelist",
            "torch.jit._pickle.build_boollist",
            "torch.jit._pickle.build_tensorlist");

    /** Strings and bytes inside a weight pickle are names and small values; tensors are stored outside. */
    private static final int MAX_PICKLED_VALUE = 64 << 20;

    private final String source;
    private final StorageSource storages;
    private final boolean allowScriptObjects;
    private final Map<String, Tensor> loadedStorages = new HashMap<>();

    private RestrictedUnpickler(String source, StorageSource storages, boolean allowScriptObjects) {
        this.source = source;
        this.storages = storages;
        this.allowScriptObjects = allowScriptObjects;
    }

    /**
     * Unpickles {@code pickle}. {@code source} names it in messages ("model.pt: archive/data.pkl").
     * TorchScript objects are built only if {@code allowScriptObjects}.
     */
    static Object load(byte[] pickle, String source, StorageSource storages, boolean allowScriptObjects) {
        return load(new ByteArrayInputStream(pickle), source, storages, allowScriptObjects);
    }

    /** As {@link #load(byte[], String, StorageSource, boolean)}; reads exactly up to the pickle's STOP. */
    static Object load(InputStream in, String source, StorageSource storages, boolean allowScriptObjects) {
        RestrictedUnpickler u = new RestrictedUnpickler(source, storages, allowScriptObjects);
        EndTracking tracked = new EndTracking(in);
        try {
            return u.load(tracked);
        } catch (WeightsException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Pyrolite reads past the end as byte -1, which surfaces as odd errors: name the real cause.
            String problem = tracked.reachedEnd ? "truncated (the file ends inside the pickle)" : "corrupt pickle";
            throw new WeightsException(source + ": " + problem + ": " + e, e);
        }
    }

    /** Passes reads through unbuffered (the stream position stays exact) and notes hitting the end. */
    private static final class EndTracking extends java.io.FilterInputStream {
        boolean reachedEnd;

        EndTracking(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            reachedEnd |= b < 0;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            reachedEnd |= n < 0 || (length > 0 && n == 0);
            return n;
        }
    }

    @Override
    protected Object dispatch(short key) throws IOException {
        switch (key) {
            case Opcodes.GLOBAL -> {
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                stack.add(resolve(module, name));
            }
            case Opcodes.STACK_GLOBAL -> {
                Object name = stack.pop();
                Object module = stack.pop();
                if (!(module instanceof String m) || !(name instanceof String n)) {
                    throw new WeightsException(source + ": corrupt pickle: STACK_GLOBAL without a module and name");
                }
                stack.add(resolve(m, n));
            }
            case Opcodes.INST -> {
                Object callable = resolve(PickleUtils.readline(input), PickleUtils.readline(input));
                stack.add(call(callable, stack.pop_all_since_marker().toArray()));
            }
            case Opcodes.OBJ -> {
                List<Object> items = stack.pop_all_since_marker();
                if (items.isEmpty()) {
                    throw new WeightsException(source + ": corrupt pickle: OBJ without a class");
                }
                stack.add(call(items.get(0), items.subList(1, items.size()).toArray()));
            }
            case Opcodes.REDUCE, Opcodes.NEWOBJ -> {
                Object args = stack.pop();
                Object callable = stack.pop();
                stack.add(call(callable, args));
            }
            case Opcodes.NEWOBJ_EX -> {
                Object kwargs = stack.pop();
                Object args = stack.pop();
                Object callable = stack.pop();
                if (!(kwargs instanceof Map<?, ?> m) || !m.isEmpty()) {
                    throw new WeightsException(source + ": pickle passes keyword arguments to a constructor: not supported");
                }
                stack.add(call(callable, args));
            }
            case Opcodes.BUILD -> {
                Object state = stack.pop();
                build(stack.peek(), state);
            }
            case Opcodes.EMPTY_DICT -> stack.add(new LinkedHashMap<Object, Object>());
            case Opcodes.DICT -> {
                Map<Object, Object> dict = new LinkedHashMap<>();
                putPairs(dict, stack.pop_all_since_marker());
                stack.add(dict);
            }
            case Opcodes.SETITEMS -> {
                List<Object> pairs = stack.pop_all_since_marker();
                putPairs(asDict(stack.peek()), pairs);
            }
            case Opcodes.BINBYTES -> stack.add(readSized(4));
            case Opcodes.BINBYTES8 -> stack.add(readSized(8));
            case Opcodes.BINUNICODE -> stack.add(new String(readSized(4), StandardCharsets.UTF_8));
            case Opcodes.BINUNICODE8 -> stack.add(new String(readSized(8), StandardCharsets.UTF_8));
            case Opcodes.BINSTRING -> stack.add(PickleUtils.rawStringFromBytes(readSized(4)));
            case Opcodes.LONG4 -> stack.add(PickleUtils.decode_long(readSized(4)));
            case Opcodes.PERSID -> throw new WeightsException(source + ": text persistent ids are not used by PyTorch: not a checkpoint");
            case Opcodes.BINPERSID -> stack.add(persistentLoad(stack.pop()));
            default -> {
                return super.dispatch(key);
            }
        }
        return NO_RETURN_VALUE;
    }

    /**
     * The payload of a length-prefixed opcode. Checked before allocating: a corrupt length must
     * give an exception, not a multi-gigabyte allocation. Tensor data never lives in the pickle.
     */
    private byte[] readSized(int lengthBytes) throws IOException {
        byte[] raw = PickleUtils.readbytes(input, lengthBytes);
        long length = lengthBytes == 4
                ? PickleUtils.bytes_to_uint(raw, 0)
                : PickleUtils.bytes_to_long(raw, 0);
        if (length < 0 || length > MAX_PICKLED_VALUE) {
            throw new WeightsException(source + ": corrupt pickle: a value of " + length + " bytes (at most "
                    + MAX_PICKLED_VALUE + " expected)");
        }
        return PickleUtils.readbytes(input, (int) length);
    }

    /** The object a pickle gets for {@code module.name}: only allow-listed names resolve. */
    private Object resolve(String module, String name) {
        String qualified = module + "." + name;
        if (qualified.equals("collections.OrderedDict")) {
            return (IObjectConstructor) args -> {
                if (args.length != 0) {
                    throw new WeightsException(source + ": OrderedDict with constructor arguments: not supported");
                }
                return new LinkedHashMap<Object, Object>();
            };
        }
        if (qualified.equals("torch._utils._rebuild_tensor_v2") || qualified.equals("torch._utils._rebuild_tensor")) {
            return (IObjectConstructor) this::rebuildTensor;
        }
        if (IDENTITY_FUNCTIONS.contains(qualified)) {
            return (IObjectConstructor) args -> {
                if (args.length == 0) {
                    throw new WeightsException(source + ": " + qualified + " called without arguments");
                }
                return args[0];
            };
        }
        if (module.equals("torch") && StorageType.byClassName(name) != null) {
            return StorageType.byClassName(name);
        }
        if (allowScriptObjects && (module.equals("__torch__") || module.startsWith("__torch__."))) {
            return (IObjectConstructor) args -> new ScriptObject(qualified);
        }
        String hint = module.equals("__main__") || module.startsWith("__torch__")
                ? " (the file holds a pickled Python object, e.g. from torch.save(model); save model.state_dict() instead)"
                : "";
        throw new WeightsException(source + ": refusing to load Python class or function '" + qualified
                + "': only tensors and plain containers are allowed in a weight file" + hint);
    }

    private Object call(Object callable, Object args) {
        if (!(callable instanceof IObjectConstructor constructor)) {
            throw new WeightsException(source + ": corrupt pickle: calls " + describe(callable) + ", which is not callable");
        }
        if (!(args instanceof Object[] tuple)) {
            throw new WeightsException(source + ": corrupt pickle: call arguments are " + describe(args) + ", not a tuple");
        }
        return constructor.construct(tuple);
    }

    /** BUILD: sets an object's state. TorchScript objects take their attributes; dicts ignore theirs. */
    private void build(Object target, Object state) {
        if (target instanceof ScriptObject object) {
            if (!(state instanceof Map<?, ?> attributes)) {
                throw new WeightsException(source + ": TorchScript object " + object.className()
                        + " has a custom state (" + describe(state) + "): not supported");
            }
            attributes.forEach((k, v) -> object.setAttribute(String.valueOf(k), v));
        } else if (target instanceof Map<?, ?> && (state == null || state instanceof Map<?, ?>)) {
            // OrderedDict attributes such as a state dict's _metadata (versions of each module): not needed.
        } else {
            throw new WeightsException(source + ": corrupt pickle: cannot set state of " + describe(target));
        }
    }

    /** BINPERSID: {@code ('storage', torch.FloatStorage, key, location, numel[, view_metadata])}. */
    @Override
    protected Object persistentLoad(Object pid) {
        if (!(pid instanceof Object[] t) || t.length < 5 || !"storage".equals(t[0])
                || !(t[1] instanceof StorageType type) || !(t[2] instanceof String key)) {
            throw new WeightsException(source + ": unsupported persistent id " + describe(pid)
                    + " (expected ('storage', torch.<Type>Storage, key, location, numel))");
        }
        if (t.length > 5 && t[5] != null) {
            throw new WeightsException(source + ": storage " + key + " is a view of another storage (legacy format): not supported");
        }
        long numel = longValue(t[4], "numel of storage " + key);
        Tensor storage = loadedStorages.get(key);
        if (storage == null) {
            storage = storages.load(key, type, numel);
            loadedStorages.put(key, storage);
        } else if (storage.scalar_type().value != type.dtype.value) {
            throw new WeightsException(source + ": storage " + key + " is used both as " + storage.scalar_type() + " and as " + type);
        }
        return storage;
    }

    /** {@code _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata])}. */
    private Object rebuildTensor(Object[] args) {
        if (args.length < 4 || !(args[0] instanceof Tensor storage)) {
            throw new WeightsException(source + ": corrupt pickle: _rebuild_tensor needs (storage, offset, size, stride)");
        }
        long offset = longValue(args[1], "storage offset");
        long[] size = longs(args[2], "size");
        long[] stride = longs(args[3], "stride");
        return StridedView.of(storage, offset, size, stride, source);
    }

    private void putPairs(Map<Object, Object> dict, List<Object> items) {
        if (items.size() % 2 != 0) {
            throw new WeightsException(source + ": corrupt pickle: odd number of dict items");
        }
        for (int i = 0; i < items.size(); i += 2) {
            dict.put(items.get(i), items.get(i + 1));
        }
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> asDict(Object o) {
        if (!(o instanceof Map<?, ?>)) {
            throw new WeightsException(source + ": corrupt pickle: SETITEMS on " + describe(o));
        }
        return (Map<Object, Object>) o;
    }

    private long[] longs(Object tuple, String what) {
        if (!(tuple instanceof Object[] items)) {
            throw new WeightsException(source + ": corrupt pickle: tensor " + what + " is " + describe(tuple) + ", not a tuple");
        }
        long[] out = new long[items.length];
        for (int i = 0; i < items.length; i++) {
            out[i] = longValue(items[i], "tensor " + what);
        }
        return out;
    }

    private long longValue(Object o, String what) {
        if (o instanceof Integer || o instanceof Long || o instanceof Short || o instanceof Byte) {
            return ((Number) o).longValue();
        }
        if (o instanceof BigInteger b && b.bitLength() < 64) {
            return b.longValue();
        }
        throw new WeightsException(source + ": corrupt pickle: " + what + " is " + describe(o) + ", not an integer");
    }

    private static String describe(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof Object[] tuple) {
            return "a tuple of " + tuple.length;
        }
        return "a " + o.getClass().getSimpleName();
    }
}
