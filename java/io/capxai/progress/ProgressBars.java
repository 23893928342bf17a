package io.capxai.progress;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;

/**
 * The one place terminal progress bars are built: ASCII, on stderr so that stdout stays
 * machine-readable. As a {@link ProgressListener} it draws one bar per phase of a long run.
 */
public final class ProgressBars implements ProgressListener {
    private static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream());

    private final Map<String, ProgressBar> bars = new HashMap<>();

    /** A bar builder for {@code task} of {@code steps} steps, drawn on stderr, or nowhere when not {@code visible} (tests). */
    public static ProgressBarBuilder builder(String task, long steps, boolean visible) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(steps).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(visible ? System.err : NOWHERE));
    }

    /** A visible bar counting {@code unit}s (" images", " canvases"). */
    public static ProgressBar bar(String task, long steps, String unit) {
        return builder(task, steps, true).setUnit(unit, 1).build();
    }

    @Override
    public void started(String phase, int steps) {
        bars.put(phase, bar(phase, steps, " batches"));
    }

    @Override
    public void advanced(String phase, int done, int steps) {
        ProgressBar bar = bars.get(phase);
        if (bar != null) {
            bar.stepTo(done);
        }
    }

    @Override
    public void finished(String phase) {
        ProgressBar bar = bars.remove(phase);
        if (bar != null) {
            bar.close();
        }
    }
}
