package io.capxai.weights;

/** A weight file or state dict that cannot be used: the message names the file or key and what is wrong. */
public class WeightsException extends RuntimeException {
    public WeightsException(String message) {
        super(message);
    }

    public WeightsException(String message, Throwable cause) {
        super(message, cause);
    }
}
