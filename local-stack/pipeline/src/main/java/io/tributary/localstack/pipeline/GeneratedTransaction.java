package io.tributary.localstack.pipeline;

import io.tributary.events.Transaction;

/**
 * One generated record of {@code payments.transactions.v1}: the event, and what kind of traffic it
 * is. For a malformed kind, the event is what was encoded before the bytes were spoiled.
 */
public record GeneratedTransaction(TrafficKind kind, Transaction transaction) {}
