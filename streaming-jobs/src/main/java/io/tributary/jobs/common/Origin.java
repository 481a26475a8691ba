package io.tributary.jobs.common;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Where a payment was read: enough for an operator after the first one to dead-letter it (the
 * original bytes stay behind in the first operator, with their personal data). A Flink POJO.
 */
public class Origin {
    public String topic;
    public int partition;
    public long offset;
    /** The Kafka record timestamp; negative when the record had none. */
    public long timestamp;
    /**
     * When the record is known to have reached Kafka, by a clock its producer does not control
     * ({@link TransactionRecordDecoder#receivedAt}): no event can vouch for a later time.
     */
    public long receivedAt;

    public Origin() {}

    public static Origin of(ConsumerRecord<?, ?> record, long receivedAt) {
        Origin origin = new Origin();
        origin.topic = record.topic();
        origin.partition = record.partition();
        origin.offset = record.offset();
        origin.timestamp = record.timestamp();
        origin.receivedAt = receivedAt;
        return origin;
    }
}
