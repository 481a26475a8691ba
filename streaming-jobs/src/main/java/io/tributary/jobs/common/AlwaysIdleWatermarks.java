package io.tributary.jobs.common;

import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Watermarks for an input whose records do not take part in event time, such as rule definitions
 * broadcast to an operator: the input declares itself idle, so that the operator's event time
 * follows its other input alone. Not a maximum watermark: when the other input went idle too, that
 * maximum would become the operator's event time and fire every timer at once.
 */
public final class AlwaysIdleWatermarks<T> implements WatermarkGenerator<T> {
    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        output.markIdle();
    }
}
