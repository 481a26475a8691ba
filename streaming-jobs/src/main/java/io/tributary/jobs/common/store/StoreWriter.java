package io.tributary.jobs.common.store;

import java.io.IOException;

/**
 * Buffers rows for a store and writes them when flushed; a {@link StoreWriteOperator} flushes it
 * before each checkpoint barrier, so that a checkpoint completes only once its rows are written.
 * The rows the store refuses one by one go to the {@code rejected} consumer the writer was made
 * with ({@link StoreSink}).
 */
public interface StoreWriter<T> extends AutoCloseable {
    /** Buffers {@code row}; may flush when the buffer is full. */
    void write(T row) throws IOException, InterruptedException;

    /** Writes every buffered row, or throws: retries transient failures, fails at once on permanent ones. */
    void flush() throws IOException, InterruptedException;

    @Override
    void close();
}
