package io.capxai.training;

/** A training run that cannot start (missing data, bad settings) or that failed (diverged). */
public final class TrainingException extends RuntimeException {
    public TrainingException(String message) {
        super(message);
    }

    public TrainingException(String message, Throwable cause) {
        super(message, cause);
    }
}
