package io.tributary.localstack.pipeline;

import io.tributary.events.Transaction;

/**
 * One generated record of {@code payments.transactions.v1}: the event, what kind of traffic it is,
 * and the number of the fraud pattern it belongs to (1, 2, ... in the order the patterns were made;
 * 0 outside any pattern). For a malformed kind, the event is what was encoded before the bytes were
 * spoiled. The labels stay with the producer: they are not written to Kafka, so no job can see them.
 */
public record GeneratedTransaction(TrafficKind kind, Transaction transaction, long pattern) {
    /** A record outside any fraud pattern. */
    public GeneratedTransaction(TrafficKind kind, Transaction transaction) {
        this(kind, transaction, 0);
    }
}
