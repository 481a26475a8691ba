package io.tributary.localstack.pipeline;

/**
 * What a generated payment record is, so that a test or the local run knows what the pipeline
 * should make of it.
 */
public enum TrafficKind {
    /** A new event, in order. */
    VALID,
    /** A producer retry: the same event (same event_id) sent again. */
    DUPLICATE,
    /** A new event whose event time is behind the newest one, within the out-of-orderness bound. */
    OUT_OF_ORDER,
    /** A new event whose event time is behind the newest one by more than the allowed lateness. */
    LATE,
    /** Bytes that are not Confluent-framed Avro (a JSON text). */
    MALFORMED_NOT_AVRO,
    /** A valid encoding cut short. */
    MALFORMED_TRUNCATED,
    /** A valid encoding whose header names a schema id the registry does not know. */
    MALFORMED_UNKNOWN_SCHEMA_ID,
    /**
     * The header of a valid encoding (a real schema id) followed by nothing but a string length of
     * 1.5 GB: a decoder that allocates before it reads would run out of memory. Not generated on its
     * own: made by {@link HostileRecords}.
     */
    MALFORMED_HUGE_STRING_LENGTH,
    /** An event that decodes but breaks the contract: an amount of zero or less. */
    INVALID_NON_POSITIVE_AMOUNT,
    /** An event that decodes but breaks the contract: a currency code that is not ISO 4217. */
    INVALID_UNKNOWN_CURRENCY,
    /**
     * A valid event padded to nearly the input topic's {@code max.message.bytes}: far larger than any
     * event of its contract may be. Not generated on its own: made by {@link HostileRecords}.
     */
    INVALID_TOO_LARGE,
    /**
     * A valid event dated a day after it is written: a producer's clock far ahead. Not generated on
     * its own: made by {@link HostileRecords}.
     */
    INVALID_FUTURE_EVENT_TIME,
    /** A valid event whose location's latitude is NaN. Not generated on its own: made by {@link HostileRecords}. */
    INVALID_LOCATION,
    /**
     * The event id and account of an earlier event with other content (another amount): not a
     * producer's retry, which repeats its original exactly. Not generated on its own: made by
     * {@link HostileRecords}.
     */
    DUPLICATE_CONFLICT,
    /** Fraud, card testing: one of six small payments of one card within a second. */
    FRAUD_CARD_TESTING,
    /** Fraud, impossible travel: one of two payments of one card, in New York and in Tokyo 200 ms apart. */
    FRAUD_IMPOSSIBLE_TRAVEL,
    /** Fraud, amount spike: a payment of about 8,000 dollars on a device new to the account. */
    FRAUD_AMOUNT_SPIKE;

    /** Whether the record is part of a labelled fraud pattern (a valid payment all the same). */
    public boolean fraud() {
        return name().startsWith("FRAUD_");
    }

    /** Whether the record cannot be decoded at all. */
    public boolean malformed() {
        return name().startsWith("MALFORMED_");
    }

    /**
     * Whether the pipeline must reject the record to the dead-letter topic: it does not decode, breaks
     * the contract, or conflicts with an earlier event.
     */
    public boolean rejected() {
        return malformed() || name().startsWith("INVALID_") || this == DUPLICATE_CONFLICT;
    }
}
