package io.tributary.registry;

/** The subject does not exist, or has no version yet (404, error code 40401 or 40402). */
public final class SubjectNotFoundException extends SchemaRegistryException {
    private static final long serialVersionUID = 1L;

    public SubjectNotFoundException(String message, int httpStatus, int errorCode, String subject) {
        super(message, httpStatus, errorCode, subject);
    }
}
