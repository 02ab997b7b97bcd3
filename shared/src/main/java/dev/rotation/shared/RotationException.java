package dev.rotation.shared;

/**
 * A rotation step failed. The message names the step and the problem; it never contains a
 * password, a secret string or a URL with credentials, and neither do the messages of its causes
 * (they are scrubbed copies of the original exceptions).
 */
public class RotationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RotationException(String message) {
        super(message);
    }

    public RotationException(String message, Throwable cause) {
        super(message, cause);
    }
}
