package io.capxai.cli;

/**
 * A problem the user can fix (a missing file, bad weights, missing data, a bad option value, a
 * refused request): {@code capxai} prints {@code capxai: MESSAGE} and exits with 2, without a stack
 * trace unless {@code --debug}. Commands throw it for what they find themselves; {@link UserErrors}
 * recognises the engine's own exception types.
 */
public final class UserError extends RuntimeException {
    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
