package io.tributary.serde;

import io.tributary.contracts.RejectionReason;

/**
 * Why bytes could not be decoded into an event. Each reason is also the machine-readable reason
 * code ({@link #reasonCode()}) under which the record goes to the dead-letter topic.
 */
public enum DecodingFailure {
    /** Fewer bytes than the 5-byte Confluent header, or the Avro body ends before the record does. */
    TRUNCATED(RejectionReason.DECODE_TRUNCATED),
    /** The first byte is not the Confluent magic byte 0: not Confluent-framed Avro. */
    WRONG_MAGIC_BYTE(RejectionReason.DECODE_WRONG_MAGIC_BYTE),
    /** The schema id in the header is not known to the schema registry. */
    UNKNOWN_SCHEMA_ID(RejectionReason.DECODE_UNKNOWN_SCHEMA_ID),
    /** The writer's schema cannot be read with the reader's schema (an incompatible producer). */
    INCOMPATIBLE_WRITER_SCHEMA(RejectionReason.DECODE_INCOMPATIBLE_WRITER_SCHEMA),
    /** The Avro body does not decode with the writer's schema. */
    UNDECODABLE_AVRO(RejectionReason.DECODE_UNDECODABLE_AVRO),
    /** The record decoded but bytes are left over: the body was written with another schema. */
    TRAILING_BYTES(RejectionReason.DECODE_TRAILING_BYTES);

    private final RejectionReason reason;

    DecodingFailure(RejectionReason reason) {
        this.reason = reason;
    }

    /** The reason of the dead-letter record, e.g. {@code DECODE_WRONG_MAGIC_BYTE}. */
    public RejectionReason reason() {
        return reason;
    }

    /** The reason code of the dead-letter record, e.g. {@code DECODE_WRONG_MAGIC_BYTE}. */
    public String reasonCode() {
        return reason.name();
    }

    /** What the failure means, in words. */
    public String description() {
        return reason.description();
    }
}
