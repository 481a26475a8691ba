package io.tributary.jobs.common;

import java.time.Duration;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** The state time-to-live the jobs use. */
public final class StateTtls {
    private StateTtls() {}

    /**
     * An entry expires {@code ttl} after it was last written (reads do not extend it), and an expired
     * entry is never returned, even before clean-up has removed it.
     */
    public static StateTtlConfig afterLastWrite(Duration ttl) {
        return StateTtlConfig.newBuilder(ttl)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build();
    }

    /** A map state whose entries expire {@code ttl} after their last write, as {@link #afterLastWrite}. */
    public static <K, V> MapStateDescriptor<K, V> expiringMap(String name, TypeInformation<K> keys,
            TypeInformation<V> values, Duration ttl) {
        MapStateDescriptor<K, V> descriptor = new MapStateDescriptor<>(name, keys, values);
        descriptor.enableTimeToLive(afterLastWrite(ttl));
        return descriptor;
    }

    /** A value state that expires {@code ttl} after its last write, as {@link #afterLastWrite}. */
    public static <T> ValueStateDescriptor<T> expiringValue(String name, TypeInformation<T> type, Duration ttl) {
        ValueStateDescriptor<T> descriptor = new ValueStateDescriptor<>(name, type);
        descriptor.enableTimeToLive(afterLastWrite(ttl));
        return descriptor;
    }
}
