package io.tributary.jobs.common;

import io.tributary.events.DeadLetter;

/**
 * What a source made of one Kafka record: a value, a tombstone for a key, or a dead letter. A Flink
 * POJO (public fields, no-arg constructor), so that it travels between operators without Kryo.
 *
 * @param <T> the decoded value's type
 */
public class Decoded<T> {
    /** The decoded value; null for a tombstone or a dead letter. */
    public T value;
    /** The record's key (UTF-8), set for tombstones, whose only content is their key. */
    public String key;
    /** The record could not be processed: its original bytes and the reason. */
    public DeadLetter deadLetter;
    /**
     * Where the value was read, when a later operator may have to dead-letter it or must know how far
     * its topic has been read (fraud-detection's rules); else null.
     */
    public Origin origin;
    /**
     * The Confluent schema id the value was written with, where a source records it (the payments,
     * for the input-quality monitors); else null.
     */
    public Integer writerSchemaId;

    public Decoded() {}

    public static <T> Decoded<T> value(T value) {
        Decoded<T> decoded = new Decoded<>();
        decoded.value = value;
        return decoded;
    }

    /** A value that a later operator may dead-letter, with where it was read. */
    public static <T> Decoded<T> value(T value, Origin origin) {
        Decoded<T> decoded = value(value);
        decoded.origin = origin;
        return decoded;
    }

    public static <T> Decoded<T> tombstone(String key) {
        Decoded<T> decoded = new Decoded<>();
        decoded.key = key;
        return decoded;
    }

    public static <T> Decoded<T> deadLetter(DeadLetter deadLetter) {
        Decoded<T> decoded = new Decoded<>();
        decoded.deadLetter = deadLetter;
        return decoded;
    }

    public boolean isDeadLetter() {
        return deadLetter != null;
    }

    public boolean isTombstone() {
        return value == null && deadLetter == null;
    }
}
