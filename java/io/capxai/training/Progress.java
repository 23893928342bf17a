package io.capxai.training;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.OutputStream;
import java.io.PrintStream;

/** Progress bars on stderr for long runs; silent ones for tests. */
final class Progress {
    private Progress() {}

    static ProgressBar bar(String task, long steps, boolean visible) {
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(steps)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(1000).showSpeed();
        if (visible) {
            b.setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err));
        } else {
            b.setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(new PrintStream(OutputStream.nullOutputStream())));
        }
        return b.build();
    }
}
