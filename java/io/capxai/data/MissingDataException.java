package io.capxai.data;

/**
 * Data the engine needs is absent and cannot be fetched (no network, no npm or apt-get, a
 * checksum that does not match): a problem of the machine, not a defect. The message says what is
 * missing and how to get it.
 */
public final class MissingDataException extends RuntimeException {
    public MissingDataException(String message) {
        super(message);
    }

    public MissingDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
