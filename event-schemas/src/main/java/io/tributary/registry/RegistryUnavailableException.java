package io.tributary.registry;

/**
 * The registry could not be reached, or answered with a server error, on every try. Unlike the
 * other registry errors this one is transient: a job should fail and be restarted, not treat the
 * record as bad.
 */
public final class RegistryUnavailableException extends SchemaRegistryException {
    private static final long serialVersionUID = 1L;

    private final int attempts;

    public RegistryUnavailableException(
            String message, int httpStatus, int errorCode, String subject, int attempts, Throwable cause) {
        super(message, httpStatus, errorCode, subject, cause);
        this.attempts = attempts;
    }

    /** How many times the request was tried. */
    public int attempts() {
        return attempts;
    }
}
