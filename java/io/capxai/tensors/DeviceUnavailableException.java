package io.capxai.tensors;

/** A requested device this machine or this build cannot provide; the message is one line saying why. */
public final class DeviceUnavailableException extends IllegalArgumentException {
    public DeviceUnavailableException(String message) {
        super(message);
    }
}
