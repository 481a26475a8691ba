package io.tributary.jobs.common;

import io.tributary.events.DeadLetter;
import io.tributary.events.OriginalHeader;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** Builds the dead-letter record of a Kafka record that could not be processed. */
public final class DeadLetterFactory {
    private DeadLetterFactory() {}

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
                .setReasonDetail(detail)
                .setSchemaId(schemaId)
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
