package io.capxai.taps;

import io.capxai.tensors.Tensors;
import org.bytedeco.pytorch.Tensor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * What to do at named points of <b>one</b> forward pass: capture, replace or observe a module's output.
 *
 * <p>JavaCPP has no forward hooks, so models call {@link #at(String, Tensor)} explicitly at every
 * tap point, with the point's PyTorch module name ({@code "layer3.1.conv2"}, {@code "visual.layer4"},
 * {@code "transformer.resblocks.3"}). A TapSet is passed to {@code forward} as an argument and is
 * single-use: the second forward pass that tries to use it fails. So an edit (a replace) can never
 * leak from one call into the next, the defect docs/method.md#defects-of-the-reference-code describes for the reference code.
 *
 * <ul>
 *   <li><b>capture</b> keeps the tensor itself (no copy, still on its device, still in the autograd
 *       graph); read it after the pass with {@link #captured(String)}.</li>
 *   <li><b>replace</b> substitutes {@code fn(x)} for the module output; later layers see the result
 *       and gradients flow through {@code fn}.</li>
 *   <li><b>observe</b> calls back and continues with the unchanged tensor.</li>
 * </ul>
 * At one point the order is: observe, replace, then capture (a capture sees the replaced tensor).
 *
 * <p>Memory: models release the Java handles of their intermediate tensors when each block returns
 * (JavaCPP {@code PointerScope}). Captures are kept alive here; an observer or a replace function that
 * stores a tensor it was given, or one it made, for use after the pass must call {@link #keep(Tensor)}.
 */
public final class TapSet {
    private final Map<String, List<Consumer<Tensor>>> observers = new LinkedHashMap<>();
    private final Map<String, UnaryOperator<Tensor>> replacements = new LinkedHashMap<>();
    private final Set<String> toCapture = new LinkedHashSet<>();
    private final List<BiConsumer<String, Tensor>> observeEverything = new ArrayList<>();
    private final Map<String, Tensor> captures = new LinkedHashMap<>();
    private final Set<String> reached = new LinkedHashSet<>();
    private String usedBy;

    /** An empty set: the model runs unchanged. */
    public static TapSet none() {
        return new TapSet();
    }

    /** A set that captures {@code names}. */
    public static TapSet capturing(Collection<String> names) {
        TapSet t = new TapSet();
        names.forEach(t::capture);
        return t;
    }

    public static TapSet capturing(String... names) {
        return capturing(List.of(names));
    }

    /** Keep the output of {@code name} (no copy). */
    public TapSet capture(String name) {
        checkNotStarted();
        toCapture.add(requireName(name));
        return this;
    }

    /** Replace the output of {@code name} by {@code fn(output)}; at most one replacement per point. */
    public TapSet replace(String name, UnaryOperator<Tensor> fn) {
        checkNotStarted();
        Objects.requireNonNull(fn, "replace function");
        if (replacements.putIfAbsent(requireName(name), fn) != null) {
            throw new IllegalArgumentException("tap '" + name + "' already has a replacement; compose them into one function");
        }
        return this;
    }

    /** Call {@code fn} with the output of {@code name}, then continue unchanged. */
    public TapSet observe(String name, Consumer<Tensor> fn) {
        checkNotStarted();
        observers.computeIfAbsent(requireName(name), k -> new ArrayList<>()).add(Objects.requireNonNull(fn));
        return this;
    }

    /** Call {@code fn(name, output)} at every tap point of the model (used by the dry run). */
    public TapSet observeAll(BiConsumer<String, Tensor> fn) {
        checkNotStarted();
        observeEverything.add(Objects.requireNonNull(fn));
        return this;
    }

    /** True when this set acts nowhere, so a model may take shortcuts that change no output. */
    public boolean isEmpty() {
        return requestedNames().isEmpty() && observeEverything.isEmpty();
    }

    /** The names this set acts on (captures, replacements and observers). */
    public Set<String> requestedNames() {
        Set<String> all = new LinkedHashSet<>(observers.keySet());
        all.addAll(replacements.keySet());
        all.addAll(toCapture);
        return all;
    }

    /**
     * Called by a model when its forward pass starts. Checks every requested name is one of the
     * model's {@code tapPoints}, and that this set was not used before.
     */
    public void begin(String model, Collection<String> tapPoints) {
        if (usedBy != null) {
            throw new IllegalStateException("this TapSet was already used for a forward pass of " + usedBy
                    + "; make a new TapSet for every forward call");
        }
        usedBy = model;
        Set<String> known = new LinkedHashSet<>(tapPoints);
        List<String> unknown = requestedNames().stream().filter(n -> !known.contains(n)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown tap point(s) " + unknown + " for " + model
                    + "; valid names look like " + examples(tapPoints));
        }
    }

    /** Called by a model at the end of its forward pass: every requested point must have been reached. */
    public void end() {
        List<String> missed = requestedNames().stream().filter(n -> !reached.contains(n)).toList();
        if (!missed.isEmpty()) {
            throw new IllegalStateException("tap point(s) " + missed + " of " + usedBy
                    + " were not reached in this forward pass (they lie before its starting block?)");
        }
    }

    /** The tap point {@code name} in a model's forward pass: returns the tensor later layers see. */
    public Tensor at(String name, Tensor x) {
        if (usedBy == null) {
            throw new IllegalStateException("TapSet.at(\"" + name + "\") before begin(): the model must call begin()");
        }
        reached.add(name);
        for (BiConsumer<String, Tensor> fn : observeEverything) {
            fn.accept(name, x);
        }
        for (Consumer<Tensor> fn : observers.getOrDefault(name, List.of())) {
            fn.accept(x);
        }
        UnaryOperator<Tensor> replacement = replacements.get(name);
        if (replacement != null) {
            Tensor before = x;
            x = replacement.apply(x);
            if (x == null || !x.defined()) {
                throw new IllegalStateException("replace function for tap '" + name + "' returned "
                        + (x == null ? "null" : "an undefined tensor"));
            }
            if (!java.util.Arrays.equals(Tensors.shape(before), Tensors.shape(x))) {
                throw new IllegalStateException("replace function for tap '" + name + "' changed the shape from "
                        + Tensors.shapeString(before) + " to " + Tensors.shapeString(x));
            }
        }
        if (toCapture.contains(name)) {
            captures.put(name, keep(x));
        }
        return x;
    }

    /** The captured output of {@code name}; throws naming what was captured if it is absent. */
    public Tensor captured(String name) {
        Tensor t = captures.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no capture named '" + name + "'; captured: " + captures.keySet());
        }
        return t;
    }

    /** All captures in forward order. */
    public Map<String, Tensor> captures() {
        return java.util.Collections.unmodifiableMap(captures);
    }

    /**
     * Keeps a tensor made or seen during a forward pass alive after the pass (its Java handle would
     * otherwise be released when the enclosing block returns). The garbage collector frees it later.
     */
    public static Tensor keep(Tensor t) {
        t.retainReference();
        return t;
    }

    private void checkNotStarted() {
        if (usedBy != null) {
            throw new IllegalStateException("TapSet already used for a forward pass of " + usedBy + "; it cannot be changed");
        }
    }

    private static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("tap name must not be empty");
        }
        return name.strip();
    }

    private static String examples(Collection<String> points) {
        List<String> list = new ArrayList<>(points);
        if (list.size() <= 8) {
            return list.toString();
        }
        return "[" + String.join(", ", list.subList(0, 4)) + ", ..., " + String.join(", ", list.subList(list.size() - 3, list.size()))
                + "] (" + list.size() + " in all)";
    }
}
