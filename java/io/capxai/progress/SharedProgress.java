package io.capxai.progress;

/**
 * One phase run by several workers at once, shown as one phase: the workers' steps are summed and
 * passed on from one thread at a time (listeners such as the CLI's bars are not thread-safe).
 * {@link #worker()} gives each worker a listener of its own; the phase starts here and ends with
 * {@link #finished()}.
 */
public final class SharedProgress {
    private final ProgressListener target;
    private final String phase;
    private final int steps;
    private int done;

    /** Starts {@code phase} on {@code target} with the steps of all workers together. */
    public SharedProgress(ProgressListener target, String phase, int steps) {
        this.target = target;
        this.phase = phase;
        this.steps = steps;
        target.started(phase, steps);
    }

    /** A listener for one worker: its advances count towards the shared phase; its start and end are the phase's. */
    public ProgressListener worker() {
        return new ProgressListener() {
            private int seen;

            @Override
            public void advanced(String workerPhase, int workerDone, int workerSteps) {
                add(workerDone - seen);
                seen = workerDone;
            }
        };
    }

    private synchronized void add(int more) {
        done += more;
        target.advanced(phase, done, steps);
    }

    public synchronized void finished() {
        target.finished(phase);
    }
}
