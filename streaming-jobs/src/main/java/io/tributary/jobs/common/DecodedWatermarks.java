package io.tributary.jobs.common;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.util.function.SerializableFunction;

/** The watermarks of a decoded Kafka input, the same in every job. */
public final class DecodedWatermarks {
    private DecodedWatermarks() {}

    /**
     * Event-time watermarks per Kafka partition that trail the newest event time by
     * {@code maxOutOfOrderness}; a partition idle for {@code idleness} stops holding them back. Dead
     * letters and tombstones (no value) do not move them.
     *
     * @param eventTime the event time of a value, in epoch milliseconds
     */
    public static <T> WatermarkStrategy<Decoded<T>> boundedOutOfOrderness(Duration maxOutOfOrderness,
            Duration idleness, SerializableFunction<T, Long> eventTime) {
        return WatermarkStrategy.<Decoded<T>>forBoundedOutOfOrderness(maxOutOfOrderness)
                .withIdleness(idleness)
                .withTimestampAssigner((d, kafkaTimestamp) -> d.value == null ? Long.MIN_VALUE : eventTime.apply(d.value));
    }
}
