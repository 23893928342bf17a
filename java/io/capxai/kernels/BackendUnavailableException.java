package io.capxai.kernels;

/** A kernel backend cannot be used here; the message says why (library not built, no device, no driver). */
public class BackendUnavailableException extends RuntimeException {
    public BackendUnavailableException(String message) {
        super(message);
    }

    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
