package io.tributary.contracts;

/**
 * Every reason a record can be rejected to the dead-letter topic: the {@code reason} field of a
 * {@code DeadLetter} is one of these names. {@code DECODE_*}: the bytes are not a valid event;
 * {@code CONTRACT_*}: the event decodes but breaks its contract; {@code DUPLICATE_*}: the event
 * repeats one already processed, but not exactly; {@code STORE_*}: a store (Redis, PostgreSQL)
 * refused one row a job wrote, for a reason that no retry can change, so the row is set aside
 * instead of stopping the job.
 */
public enum RejectionReason {
    DECODE_TRUNCATED("the value ends before the record does"),
    DECODE_WRONG_MAGIC_BYTE("the first byte is not the Confluent magic byte 0"),
    DECODE_UNKNOWN_SCHEMA_ID("the schema id in the header is unknown to the schema registry"),
    DECODE_INCOMPATIBLE_WRITER_SCHEMA("the writer's schema cannot be resolved against the reader's schema"),
    DECODE_UNDECODABLE_AVRO("the Avro body does not decode with the writer's schema"),
    DECODE_TRAILING_BYTES("bytes are left over after the record"),
    CONTRACT_RECORD_TOO_LARGE("the value is larger than any event of its contract may be (64 KiB)"),
    CONTRACT_NULL_VALUE("a null value (tombstone) on a topic whose records are events"),
    CONTRACT_TOMBSTONE_WITHOUT_KEY("a null value without a key on a compacted topic: nothing to delete"),
    CONTRACT_MISSING_FIELD("a required field is empty"),
    CONTRACT_INVALID_CARD_NUMBER("the card number is not 12 to 19 digits"),
    CONTRACT_NON_POSITIVE_AMOUNT("the amount is zero or negative"),
    CONTRACT_AMOUNT_TOO_LARGE("the amount is 10^12 or more, beyond any card payment and the decimal's precision"),
    CONTRACT_UNKNOWN_CURRENCY("the currency is not an ISO 4217 code"),
    CONTRACT_INVALID_COUNTRY("the country is not an ISO 3166-1 alpha-2 code"),
    CONTRACT_FUTURE_EVENT_TIME("the event time is later than the time the record reached Kafka (its LogAppendTime timestamp, never a producer-set one) plus the allowed clock skew"),
    CONTRACT_AMOUNT_SCALE("the amount has more than 4 decimal places"),
    CONTRACT_INVALID_LOCATION("the location's latitude is not within -90 to 90 or its longitude not within -180 to 180 (or either is not a number)"),
    CONTRACT_INVALID_RULE("a fraud rule without the parameters its type needs, or with one out of range"),
    CONTRACT_INVALID_FX_RATE("a rate to US dollars that is not positive, or above 100 dollars per unit of a currency"),
    DUPLICATE_CONFLICT("the event id was already seen for the same account, with different content, within the deduplication time-to-live: the first event was kept. Detected after the first operator, so the dead letter holds no original bytes: the record is at its source topic, partition and offset"),
    STORE_WRONG_TYPE("Redis holds a value of another type under the row's key (written there by something else), so the row was not written. " + StoreRows.HOLD),
    STORE_NUMERIC_OVERFLOW("a value of the row is too large for its PostgreSQL column (SQLSTATE 22003), so the row was not written. " + StoreRows.HOLD),
    STORE_INVALID_VALUE("PostgreSQL refused a value of the row (another data exception, SQLSTATE class 22, or a violated constraint, class 23), so the row was not written. " + StoreRows.HOLD);

    /** What every STORE_ dead letter holds, as the data dictionary explains it. */
    private static final class StoreRows {
        static final String HOLD = "Detected when writing to the store, after every other stage, where the input records are no longer at hand: the dead letter holds the row instead (original_key: its key in the store; original_value: its values as JSON, tokens only, no personal data; source_timestamp: its event time; source_topic: the job's input; partition and offset -1), and the job goes on";
    }

    private final String description;

    RejectionReason(String description) {
        this.description = description;
    }

    /** What the reason means, in words. */
    public String description() {
        return description;
    }

    /**
     * Whether a dead letter with the reason named {@code reason} holds an input record that a replay
     * can write back to its topic. A {@code STORE_} dead letter holds a store row as JSON, with
     * offset -1: written to the job's input it would be a new poison pill.
     */
    public static boolean replayable(String reason) {
        return !reason.startsWith("STORE_");
    }
}
