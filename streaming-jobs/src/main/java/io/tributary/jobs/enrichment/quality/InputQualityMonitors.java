package io.tributary.jobs.enrichment.quality;

import io.tributary.events.MaskedTransaction;
import io.tributary.jobs.common.Decoded;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Wires the input-quality monitors beside a job's decoded payments: a side branch that reads the
 * stream and writes nothing back, so the main output is neither delayed nor changed.
 *
 * <pre>
 * payments ─┬─ (the job) ...
 *           └─ input profiler (chained, same parallelism) ─ profiles per window ─ input quality monitor (1) ─ gauges
 * </pre>
 */
public final class InputQualityMonitors {
    private InputQualityMonitors() {}

    /**
     * Profiles {@code payments} in "payments input profiler" (uid {@code payments-input-profiler}, no
     * state) and judges the profiles in "input quality monitor" (uid {@code input-quality-monitor}).
     */
    public static void attach(DataStream<Decoded<MaskedTransaction>> payments, InputQualityParameters parameters) {
        payments.transform("payments input profiler", InputProfile.TYPE, new InputProfiler(parameters.windowMillis()))
                .uid("payments-input-profiler").setParallelism(payments.getParallelism())
                .transform("input quality monitor", Types.VOID, new InputQualityMonitor(parameters))
                .uid("input-quality-monitor").setParallelism(1).setMaxParallelism(1);
    }
}
