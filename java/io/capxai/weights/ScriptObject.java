package io.capxai.weights;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An object of a TorchScript class ({@code __torch__.<...>}) read from an archive's data.pkl:
 * nothing but its class name and its attributes (submodules, parameters, buffers, plain values).
 * No code of the class is ever run.
 */
final class ScriptObject {
    private final String className;
    private final Map<String, Object> attributes = new LinkedHashMap<>();

    ScriptObject(String className) {
        this.className = className;
    }

    String className() {
        return className;
    }

    /** The attributes in the order the archive lists them. */
    Map<String, Object> attributes() {
        return Collections.unmodifiableMap(attributes);
    }

    void setAttribute(String name, Object value) {
        attributes.put(name, value);
    }

    @Override
    public String toString() {
        return className + attributes.keySet();
    }
}
