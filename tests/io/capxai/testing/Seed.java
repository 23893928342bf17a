package io.capxai.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

import java.util.Random;

/**
 * The random seed of a test that draws a fresh one each run. Register it with
 * {@code @RegisterExtension final Seed seed = Seed.fresh();}: a failing test then names its seed
 * (on stderr and as a suppressed note on the failure), and {@code -Dcapxai.seed=N} replays it.
 * Tests with a fixed seed write it in their source and need nothing more.
 */
public final class Seed implements TestExecutionExceptionHandler {
    public static final String PROPERTY = "capxai.seed";
    private final long value;

    private Seed(long value) {
        this.value = value;
    }

    /** {@code -Dcapxai.seed} if set, else a new seed from the clock. */
    public static Seed fresh() {
        return new Seed(Long.getLong(PROPERTY, System.nanoTime()));
    }

    public long value() {
        return value;
    }

    public Random random() {
        return new Random(value);
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        String note = context.getDisplayName() + " used random seed " + value + "; replay with -D" + PROPERTY + "=" + value;
        System.err.println(note);
        failure.addSuppressed(new AssertionError(note));
        throw failure;
    }
}
