package io.tributary.serde;

/**
 * Why bytes could not be decoded into an event. Each reason is also the machine-readable reason
 * code ({@link #reasonCode()}) under which the record goes to the dead-letter topic.
 */
public enum DecodingFailure {
    /** Fewer bytes than the 5-byte Confluent header, or the Avro body ends before the record does. */
    TRUNCATED("the value ends before the record does"),
    /** The first byte is not the Confluent magic byte 0: not Confluent-framed Avro. */
    WRONG_MAGIC_BYTE("the first byte is not the Confluent magic byte 0"),
    /** The schema id in the header is not known to the schema registry. */
    UNKNOWN_SCHEMA_ID("the schema id in the header is unknown to the schema registry"),
    /** The writer's schema cannot be read with the reader's schema (an incompatible producer). */
    INCOMPATIBLE_WRITER_SCHEMA("the writer's schema cannot be resolved against the reader's schema"),
    /** The Avro body does not decode with the writer's schema. */
    UNDECODABLE_AVRO("the Avro body does not decode with the writer's schema"),
    /** The record decoded but bytes are left over: the body was written with another schema. */
    TRAILING_BYTES("bytes are left over after the record");

    private final String description;

    DecodingFailure(String description) {
        this.description = description;
    }

    /** The reason code of the dead-letter record, e.g. {@code DECODE_WRONG_MAGIC_BYTE}. */
    public String reasonCode() {
        return "DECODE_" + name();
    }

    /** What the failure means, in words. */
    public String description() {
        return description;
    }
}
