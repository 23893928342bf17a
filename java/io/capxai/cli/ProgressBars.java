package io.capxai.cli;

import io.capxai.progress.ProgressListener;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.util.HashMap;
import java.util.Map;

/** Draws one terminal progress bar per audit phase (on stderr, so stdout stays machine-readable). */
final class ProgressBars implements ProgressListener {
    private final Map<String, ProgressBar> bars = new HashMap<>();

    @Override
    public void started(String phase, int steps) {
        bars.put(phase, new ProgressBarBuilder().setTaskName(phase).setInitialMax(steps)
                .setStyle(ProgressBarStyle.ASCII).setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
                .setUnit(" batches", 1).build());
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
