package io.tributary.jobs.enrichment.quality;

import io.tributary.events.MaskedTransaction;
import io.tributary.jobs.common.Decoded;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Counts, beside the main stream and at its parallelism, what the decoded payments of each input
 * topic look like, and emits one {@link InputProfile} per topic and window of processing time for
 * the {@link InputQualityMonitor}: a few hundred bytes a minute per subtask instead of every payment
 * shuffled to one monitor. It passes nothing of the main stream on and changes nothing in it.
 *
 * <p>Processing time, not event time: a volume monitor must see the minute in which nothing
 * arrives, and an event-time window without events never closes (the watermark stands still); it
 * also needs no state for late events. Windows are aligned to multiples of their length, the same
 * in every subtask, so that the monitor can add up their profiles. The window in which an operator
 * starts is not reported (it saw only part of it), nor, after a failure, the one it was in: its
 * counts are not checkpointed, being only statistics.
 */
public final class InputProfiler extends AbstractStreamOperator<InputProfile>
        implements OneInputStreamOperator<Decoded<MaskedTransaction>, InputProfile> {
    private static final long serialVersionUID = 1L;

    private final long window;
    private transient Map<String, InputProfile.Accumulator> byTopic;
    /** Start of the window being counted; counts of a window begun before this operator are not reported. */
    private transient long windowStart;
    private transient boolean partialWindow;

    InputProfiler(long windowMillis) {
        this.window = windowMillis;
    }

    @Override
    public void open() throws Exception {
        super.open();
        byTopic = new HashMap<>();
        long now = getProcessingTimeService().getCurrentProcessingTime();
        windowStart = now - Math.floorMod(now, window);
        partialWindow = now != windowStart;
        getProcessingTimeService().registerTimer(windowStart + window, this::endWindow);
    }

    /** A payment without an origin was not read from a topic (the backfill) and is not profiled. */
    @Override
    public void processElement(StreamRecord<Decoded<MaskedTransaction>> element) {
        Decoded<MaskedTransaction> decoded = element.getValue();
        if (decoded.value == null || decoded.origin == null) {
            return;
        }
        byTopic.computeIfAbsent(decoded.origin.topic, InputProfile.Accumulator::new)
                .add(decoded.value, decoded.writerSchemaId);
    }

    private void endWindow(long end) {
        if (!partialWindow) {
            for (InputProfile.Accumulator topic : byTopic.values()) {
                output.collect(new StreamRecord<>(topic.toProfile(windowStart)));
            }
        }
        byTopic.clear();
        partialWindow = false;
        windowStart = end;
        getProcessingTimeService().registerTimer(end + window, this::endWindow);
    }
}
