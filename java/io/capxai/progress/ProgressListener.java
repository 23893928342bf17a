package io.capxai.progress;

/** Progress of the phases of an audit (statistics pass, evaluation, ...); the CLI draws bars. */
public interface ProgressListener {
    ProgressListener NONE = new ProgressListener() {};

    default void started(String phase, int steps) {}

    default void advanced(String phase, int done, int steps) {}

    default void finished(String phase) {}
}
