package io.capxai.matching;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Wall time per named step of a matching pass: where the time goes, for the benchmarks. */
final class StepTimer {
    private final Map<String, Long> nanos = new LinkedHashMap<>();

    void time(String step, Runnable work) {
        long t0 = System.nanoTime();
        work.run();
        nanos.merge(step, System.nanoTime() - t0, Long::sum);
    }

    <T> T time(String step, Supplier<T> work) {
        long t0 = System.nanoTime();
        T out = work.get();
        nanos.merge(step, System.nanoTime() - t0, Long::sum);
        return out;
    }

    Map<String, Double> seconds() {
        Map<String, Double> out = new LinkedHashMap<>();
        nanos.forEach((k, v) -> out.put(k, v / 1e9));
        return out;
    }
}
