package io.tributary.jobs.common;

import io.tributary.contracts.RejectionReason;
import io.tributary.contracts.TopicContract;
import io.tributary.events.DeadLetter;
import io.tributary.events.OriginalHeader;
import io.tributary.jobs.common.internal.RegistryDoubtRetry;
import io.tributary.registry.RegistryUnavailableException;
import io.tributary.serde.ConfluentAvroDeserializationSchema;
import io.tributary.serde.DecodingFailure;
import io.tributary.serde.EventDecodingException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Builds the dead-letter record of a Kafka record that could not be processed, and refuses what
 * every decoder refuses alike ({@link #decode}).
 */
public final class DeadLetterFactory {
    /** The longest reason detail kept, so that a dead letter is its original record plus a bounded envelope. */
    static final int MAX_DETAIL_LENGTH = 1_000;

    private DeadLetterFactory() {}

    /** Told why a record is refused: what a decoder turns into its dead letter. */
    @FunctionalInterface
    public interface Refusal {
        void refuse(String reason, String detail, Integer schemaId);
    }

    /**
     * A record's value decoded with {@code values}, or null once {@code refusal} has been told why
     * not: larger than any event of its contract may be ({@link TopicContract#MAX_VALUE_BYTES},
     * checked first, so that such a record is never decoded), or bytes the decoder rejects (its
     * reason and the header's schema id). An unknown schema id is a refusal only when the registry
     * can be believed; while it is in doubt or unreachable, {@code registry} waits and the record is
     * decoded again, or the job fails ({@link RegistryDoubtRetry}). The one sequence of every Kafka
     * decoder of the jobs.
     */
    public static <T> T decode(ConsumerRecord<byte[], byte[]> record, ConfluentAvroDeserializationSchema<T> values,
            RegistryDoubtRetry registry, Refusal refusal) throws IOException {
        int length = record.value() == null ? 0 : record.value().length;
        if (length > TopicContract.MAX_VALUE_BYTES) {
            refusal.refuse(RejectionReason.CONTRACT_RECORD_TOO_LARGE.name(), "the value is " + length
                    + " bytes; an event is at most " + TopicContract.MAX_VALUE_BYTES, null);
            return null;
        }
        while (true) {
            try {
                T value = values.deserialize(record.value());
                registry.settled();
                return value;
            } catch (EventDecodingException e) {
                if (e.failure() == DecodingFailure.UNKNOWN_SCHEMA_ID && registry.retryUnknownId(e.schemaId())) {
                    continue;
                }
                registry.settled();
                refusal.refuse(e.failure().reasonCode(), e.getMessage(), e.schemaId());
                return null;
            } catch (RegistryUnavailableException e) {
                registry.retryUnreachable(e);
            }
        }
    }

    /**
     * @param reason machine-readable reason code, e.g. {@code DECODE_TRUNCATED}
     * @param detail what went wrong, for an operator; must not quote the record's content
     * @param schemaId the writer schema id from the header, when it could be read
     */
    public static DeadLetter of(ConsumerRecord<byte[], byte[]> record, String reason, String detail, Integer schemaId,
            String job) {
        return DeadLetter.newBuilder()
                .setSourceTopic(record.topic())
                .setSourcePartition(record.partition())
                .setSourceOffset(record.offset())
                .setSourceTimestamp(record.timestamp() >= 0 ? Instant.ofEpochMilli(record.timestamp()) : null)
                .setOriginalKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
                .setOriginalValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
                .setOriginalHeaders(headers(record))
                .setReason(reason)
                .setReasonDetail(detail.length() > MAX_DETAIL_LENGTH ? detail.substring(0, MAX_DETAIL_LENGTH) + "…" : detail)
                .setSchemaId(schemaId)
                .setJob(job)
                .setFailedAt(Instant.now())
                .build();
    }

    /**
     * The dead letter of a record rejected after the first operator, which no longer has its bytes:
     * it names the record, which its source topic still holds.
     */
    public static DeadLetter of(Origin origin, String reason, String detail, String job) {
        return DeadLetter.newBuilder()
                .setSourceTopic(origin.topic)
                .setSourcePartition(origin.partition)
                .setSourceOffset(origin.offset)
                .setSourceTimestamp(origin.timestamp >= 0 ? Instant.ofEpochMilli(origin.timestamp) : null)
                .setReason(reason)
                .setReasonDetail(detail)
                .setJob(job)
                .setFailedAt(Instant.now())
                .build();
    }

    /** The record's headers in order, so that a replay can write them back. */
    private static List<OriginalHeader> headers(ConsumerRecord<byte[], byte[]> record) {
        List<OriginalHeader> headers = new ArrayList<>();
        for (Header header : record.headers()) {
            headers.add(new OriginalHeader(header.key(), header.value() == null ? null : ByteBuffer.wrap(header.value())));
        }
        return headers;
    }

    /** The original record's key, as the dead letter's Kafka key (null if it had none). */
    public static byte[] originalKey(DeadLetter deadLetter) {
        ByteBuffer key = deadLetter.getOriginalKey();
        if (key == null) {
            return null;
        }
        byte[] bytes = new byte[key.remaining()];
        key.duplicate().get(bytes);
        return bytes;
    }
}
