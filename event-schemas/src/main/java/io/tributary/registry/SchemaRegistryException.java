package io.tributary.registry;

import java.io.IOException;

/**
 * The registry refused or could not answer a request. Subclasses name the cases callers act on;
 * this class itself covers the rest (authentication, authorization, bad requests).
 */
public class SchemaRegistryException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int httpStatus;
    private final int errorCode;
    private final String subject;

    public SchemaRegistryException(String message, int httpStatus, int errorCode, String subject) {
        this(message, httpStatus, errorCode, subject, null);
    }

    public SchemaRegistryException(String message, int httpStatus, int errorCode, String subject, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
        this.subject = subject;
    }

    /** The HTTP status of the answer; 0 when none came. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The registry's {@code error_code} (e.g. 40401); 0 when the answer had none. */
    public int errorCode() {
        return errorCode;
    }

    /** The subject the request was about; null when it was about none (e.g. a schema id). */
    public String subject() {
        return subject;
    }
}
