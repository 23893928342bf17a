package io.capxai.kernels;

/**
 * A kernel returned a status other than CAPXAI_OK. Carries the status and the library's own
 * message ({@code capxai_last_error()}). Java validates arguments before every call, so this
 * means non-finite input ({@link #NONFINITE}), a device failure, or a defect.
 */
public class KernelException extends RuntimeException {
    public static final int OK = 0;
    public static final int INVALID = 1;
    public static final int NONFINITE = 2;
    public static final int DEVICE = 3;

    private final int status;
    private final String kernel;

    public KernelException(String kernel, int status, String nativeMessage) {
        super(kernel + " failed (" + statusName(status) + "): " + nativeMessage);
        this.kernel = kernel;
        this.status = status;
    }

    /** The CAPXAI_* status code. */
    public int status() {
        return status;
    }

    /** The C function that failed, e.g. "capxai_moments_update". */
    public String kernel() {
        return kernel;
    }

    static String statusName(int status) {
        return switch (status) {
            case INVALID -> "CAPXAI_ERR_INVALID";
            case NONFINITE -> "CAPXAI_ERR_NONFINITE";
            case DEVICE -> "CAPXAI_ERR_DEVICE";
            default -> "status " + status;
        };
    }
}
