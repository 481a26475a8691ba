package io.tributary.testing;

import io.tributary.events.DeadLetter;
import java.nio.charset.StandardCharsets;

/** Reads a store's dead letter (a {@code STORE_*} reason), whose key and value hold a store row as text. */
public final class StoreDeadLetters {
    private StoreDeadLetters() {}

    /** The row's key in the store, e.g. a Redis key. */
    public static String key(DeadLetter deadLetter) {
        return StandardCharsets.UTF_8.decode(deadLetter.getOriginalKey().duplicate()).toString();
    }

    /** The row's values as JSON. */
    public static String value(DeadLetter deadLetter) {
        return StandardCharsets.UTF_8.decode(deadLetter.getOriginalValue().duplicate()).toString();
    }
}
