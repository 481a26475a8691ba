package io.tributary.registry;

/** The registry knows no such schema: no such id, or the schema is not registered under the subject (404, error code 40403). */
public final class SchemaNotFoundException extends SchemaRegistryException {
    private static final long serialVersionUID = 1L;

    public SchemaNotFoundException(String message, int httpStatus, int errorCode, String subject) {
        super(message, httpStatus, errorCode, subject);
    }
}
