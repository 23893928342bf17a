package io.capxai.testing;

import io.capxai.data.MissingDataException;
import org.junit.jupiter.api.Assumptions;

import java.util.function.Supplier;

/**
 * What a test needs from the machine (reference Python, Chromium, fetched data). On a developer's
 * machine a test whose requirement is missing is skipped with the reason; under CI (environment
 * {@code CI=true}) it fails instead, because there every reference must be produced.
 */
public final class Requirements {
    private Requirements() {}

    /** Whether this run is CI's: environment variable {@code CI} is {@code true}. */
    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Skips the calling test, saying {@code reason}, unless {@code condition}; under CI fails instead. */
    public static void assumeOrFailInCi(boolean condition, String reason) {
        if (condition) {
            return;
        }
        if (inCi()) {
            throw new AssertionError("required under CI=true: " + reason);
        }
        Assumptions.abort(reason);
    }

    /** Data that must be fetched first: a {@link MissingDataException} skips (fails under CI) with its message. */
    public static <T> T fetched(Supplier<T> fetch) {
        try {
            return fetch.get();
        } catch (MissingDataException e) {
            assumeOrFailInCi(false, e.getMessage());
            throw e; // not reached
        }
    }
}
