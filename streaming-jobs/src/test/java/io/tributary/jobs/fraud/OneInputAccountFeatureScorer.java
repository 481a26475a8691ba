package io.tributary.jobs.fraud;

import io.tributary.events.EnrichedTransaction;
import io.tributary.jobs.common.StateTtls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * {@link AccountFeatureScorer} as it was before it read erasure requests (a one-input keyed process
 * function), kept unchanged but for its name: it writes the state of savepoints taken with that
 * version, which the two-input version must restore.
 */
final class OneInputAccountFeatureScorer extends KeyedProcessFunction<String, EnrichedTransaction, ScoredPayment> {
    private static final long serialVersionUID = 1L;
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final Comparator<EnrichedTransaction> BY_EVENT_ID =
            Comparator.comparing(e -> e.getEventId().toString());

    private final Duration dedupTtl;
    private final Duration deviceMemory;

    private transient MapState<String, Boolean> seenEventIds;
    private transient MapState<Long, List<EnrichedTransaction>> waiting;
    private transient ValueState<ActivityWindows> windows;
    private transient MapState<String, Long> devices;
    private transient Counter duplicates;
    private transient Counter outOfOrderScored;
    private transient Counter scored;

    /**
     * @param dedupTtl how long an event id is remembered
     * @param deviceMemory how long a device unused by an account stays known to it
     */
    OneInputAccountFeatureScorer(Duration dedupTtl, Duration deviceMemory) {
        this.dedupTtl = dedupTtl;
        this.deviceMemory = deviceMemory;
    }

    @Override
    public void open(OpenContext context) {
        seenEventIds = getRuntimeContext().getMapState(
                StateTtls.expiringMap("seen-event-ids", Types.STRING, Types.BOOLEAN, dedupTtl));
        waiting = getRuntimeContext().getMapState(new MapStateDescriptor<>("waiting-for-watermark", Types.LONG,
                new ListTypeInfo<>(TypeInformation.of(EnrichedTransaction.class))));
        windows = getRuntimeContext().getState(
                new ValueStateDescriptor<>("account-windows", TypeInformation.of(ActivityWindows.class)));
        devices = getRuntimeContext().getMapState(
                StateTtls.expiringMap("account-devices", Types.STRING, Types.LONG, deviceMemory));
        var metrics = getRuntimeContext().getMetricGroup();
        duplicates = metrics.counter("duplicatesDropped");
        outOfOrderScored = metrics.counter("outOfOrderScored");
        scored = metrics.counter("scored");
    }

    @Override
    public void processElement(EnrichedTransaction payment, Context ctx, Collector<ScoredPayment> out)
            throws Exception {
        String eventId = payment.getEventId().toString();
        if (seenEventIds.contains(eventId)) {
            duplicates.inc();
            return;
        }
        seenEventIds.put(eventId, Boolean.TRUE);
        long eventTime = payment.getEventTime().toEpochMilli();
        if (eventTime <= ctx.timerService().currentWatermark()) {
            outOfOrderScored.inc();
            score(payment, ctx, out);
            return;
        }
        List<EnrichedTransaction> atTime = waiting.get(eventTime);
        List<EnrichedTransaction> next = atTime == null ? new ArrayList<>(1) : new ArrayList<>(atTime);
        next.add(payment);
        waiting.put(eventTime, next);
        ctx.timerService().registerEventTimeTimer(eventTime);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ScoredPayment> out) throws Exception {
        List<EnrichedTransaction> due = waiting.get(timestamp);
        if (due != null) {
            waiting.remove(timestamp);
            List<EnrichedTransaction> ordered = new ArrayList<>(due);
            ordered.sort(BY_EVENT_ID);
            for (EnrichedTransaction payment : ordered) {
                score(payment, ctx, out);
            }
        }
        ActivityWindows current = windows.value();
        if (current != null) {
            current.prune(timestamp);
            if (current.isEmpty()) {
                windows.clear();
            }
        }
    }

    private void score(EnrichedTransaction payment, Context ctx, Collector<ScoredPayment> out) throws Exception {
        long eventTime = payment.getEventTime().toEpochMilli();
        ActivityWindows current = windows.value();
        if (current == null) {
            current = new ActivityWindows();
        }
        current.add(eventTime, FraudPayment.of(payment).amountUsd(), payment.getCountry());
        windows.update(current);
        double[] features = new double[Feature.Entity.ACCOUNT.features().size()];
        current.writeFeatures(Feature.Entity.ACCOUNT, eventTime, features);

        boolean newDevice = false;
        String device = payment.getDeviceId();
        if (device != null) {
            newDevice = !devices.contains(device);
            devices.put(device, eventTime);
        }
        // A coarse timer (the next whole hour a day on): few timers per account, however busy.
        ctx.timerService().registerEventTimeTimer(ceilToHour(eventTime + Feature.LONGEST_WINDOW.toMillis()));
        scored.inc();
        out.collect(new ScoredPayment(FraudPayment.of(payment), features, newDevice));
    }

    static long ceilToHour(long time) {
        return Math.floorDiv(time + HOUR - 1, HOUR) * HOUR;
    }
}
