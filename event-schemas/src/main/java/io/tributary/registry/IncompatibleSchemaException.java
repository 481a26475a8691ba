package io.tributary.registry;

/** The schema breaks the compatibility level of the subject (409). */
public final class IncompatibleSchemaException extends SchemaRegistryException {
    private static final long serialVersionUID = 1L;

    public IncompatibleSchemaException(String message, int httpStatus, int errorCode, String subject) {
        super(message, httpStatus, errorCode, subject);
    }
}
