package io.capxai.probing;

import java.util.List;

/**
 * One random-weight control audited like the model: its seed, what it is, and its per-concept
 * information per variant (same order as the audit's variants).
 *
 * @param fromCache true when an earlier run's after-surgery similarities were reused
 */
public record ControlRun(long seed, String model, List<VariantInformation> information, boolean fromCache) {
    public ControlRun {
        information = List.copyOf(information);
    }
}
