package io.tributary.jobs.common.store;

import io.tributary.events.DeadLetter;
import io.tributary.jobs.common.store.internal.StoreError;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A row that its store refused for a reason of its own, which no retry can change (a Redis key of
 * another type, a value too large for its column): set aside as a dead letter so that the job, and
 * every other row, goes on.
 *
 * @param key the row's key in the store, e.g. the Redis key or the table's primary key
 * @param json the row's values as the store would have held them, as JSON: tokens only, never personal data
 * @param eventTime the event time (ms) the row is as of
 * @param error why the store refused it, a {@link StoreError.Scope#ROW} error
 * @param detail for an operator: what the store said and what to do; never a value of the row
 */
public record RejectedRow(String key, String json, long eventTime, StoreError error, String detail) {
    /** The partition and offset of a dead letter that is a store's row, not one input record. */
    public static final int NO_RECORD = -1;

    /**
     * The row's dead letter. A job writes rows computed from many records (features as of a payment,
     * a minute's totals), which are no longer at hand where it writes, so the dead letter holds the
     * row: its store key as {@code original_key}, its values as JSON in {@code original_value}, its
     * event time as {@code source_timestamp}, and partition and offset {@link #NO_RECORD} under the
     * job's input topic.
     */
    public DeadLetter deadLetter(String sourceTopic, String job) {
        return DeadLetter.newBuilder()
                .setSourceTopic(sourceTopic)
                .setSourcePartition(NO_RECORD)
                .setSourceOffset(NO_RECORD)
                .setSourceTimestamp(Instant.ofEpochMilli(eventTime))
                .setOriginalKey(ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8)))
                .setOriginalValue(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)))
                .setReason(error.reason().name())
                .setReasonDetail(detail)
                .setJob(job)
                .setFailedAt(Instant.now())
                .build();
    }
}
