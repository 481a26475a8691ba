package io.tributary.jobs.common.store;

import java.io.Serializable;
import java.util.function.Consumer;
import org.apache.flink.metrics.MetricGroup;

/**
 * A store a job writes rows to: made where the job is built, serialized with it, and asked for a
 * writer in each parallel instance of its {@link StoreWriteOperator}.
 */
@FunctionalInterface
public interface StoreSink<T> extends Serializable {
    /**
     * @param metrics the operator's metric group, for the writer's own counters
     * @param rejected where the writer sends the rows its store refuses one by one
     */
    StoreWriter<T> createWriter(MetricGroup metrics, Consumer<RejectedRow> rejected);
}
