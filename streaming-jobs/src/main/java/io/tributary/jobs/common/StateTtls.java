package io.tributary.jobs.common;

import java.time.Duration;
import org.apache.flink.api.common.state.StateTtlConfig;

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
}
