package io.tributary.serde;

import java.io.IOException;

/**
 * The bytes of a record are not a valid event: the one exception a Confluent Avro deserializer
 * throws for bad input, so that a job can send the record to the dead-letter topic with
 * {@link #failure()} as the reason. Its message describes the bytes (lengths, schema id, Avro's
 * error type), never their content, so it can be logged and stored safely.
 *
 * <p>Problems that are not about the record, such as an unreachable registry, are other
 * {@link IOException}s: the job must fail and retry rather than reject the record.
 */
public final class EventDecodingException extends IOException {
    private static final long serialVersionUID = 1L;

    private final DecodingFailure failure;
    private final Integer schemaId;

    public EventDecodingException(DecodingFailure failure, Integer schemaId, String detail, Throwable cause) {
        super(failure.reasonCode() + ": " + failure.description()
                + (schemaId != null ? " (schema id " + schemaId + ")" : "")
                + (detail != null ? ": " + detail : ""), cause);
        this.failure = failure;
        this.schemaId = schemaId;
    }

    /** Why the bytes were rejected. */
    public DecodingFailure failure() {
        return failure;
    }

    /** The schema id of the header, when the header could be read; else null. */
    public Integer schemaId() {
        return schemaId;
    }
}
