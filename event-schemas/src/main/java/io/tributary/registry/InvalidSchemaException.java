package io.tributary.registry;

/** The registry cannot parse the schema, or its compatibility level is invalid (422, error codes 42201 to 42203). */
public final class InvalidSchemaException extends SchemaRegistryException {
    private static final long serialVersionUID = 1L;

    public InvalidSchemaException(String message, int httpStatus, int errorCode, String subject) {
        super(message, httpStatus, errorCode, subject);
    }
}
