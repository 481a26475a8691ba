package io.tributary.jobs.fraud;

import io.tributary.events.EnrichedTransaction;
import io.tributary.events.ErasureRequest;
import io.tributary.jobs.common.StateTtls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The first stage of fraud-detection, keyed by account. It drops payments it has already seen (a
 * replay of the enriched topic must not count twice), puts the rest in event-time order (each is
 * held until the watermark passes it, ties broken by event id), so that every feature and rule sees
 * the same history whatever the arrival order and however often the job restarts; then it computes
 * the account's features and whether the payment's device is new to the account.
 *
 * <p>A payment that arrives behind the watermark is scored at once, against the history so far, and
 * counted in {@code outOfOrderScored}. For low-latency alerts ({@link AlertDelivery#LOW_LATENCY})
 * every payment is scored on arrival: its features are then those of the arrival order. (A job
 * switched to low-latency from a savepoint still scores the payments that were waiting, when their
 * restored timers fire.) An account's windows are dropped by a timer a day after its last payment;
 * its devices and seen event ids expire with their state time-to-live.
 *
 * <p>Its second input is {@code gdpr.erasure-requests.v1}, keyed by the same account id. A request
 * clears everything kept for the account (seen event ids, devices, windows, the card tokens it paid
 * with, payments still waiting for the watermark) and deletes its timers, because a timer is stored
 * under the account's key too; then it sends one erasure marker per card token the account paid
 * with within the card retention, so that the card stage, keyed by token, clears each card. Payments
 * still waiting are dropped, not scored, and counted in {@code erasedPaymentsDropped}: scoring them
 * would write the account's features to Redis again just after {@code tributary gdpr erase} deleted
 * them. Payments of the account that arrive after the request start a new, empty history. Counted in
 * {@code accountsErased}.
 *
 * <p>The operator kept its uid when it gained the second input: its keyed state (and timers) restore
 * from savepoints of the one-input version by state name. Accounts restored so have no
 * {@code account-cards} yet until they pay again; their cards' state still expires with the card
 * retention.
 *
 * <p>The reorder buffer holds {@link FraudPayment}s ({@code waiting-payments}). Savepoints of earlier
 * versions hold whole enriched records under {@code waiting-for-watermark}; their timers were restored
 * with them, so each such payment is read, projected and scored when its timer fires, and that state
 * empties as the watermark passes it.
 */
public final class AccountFeatureScorer
        extends KeyedCoProcessFunction<String, FraudPayment, ErasureRequest, ScoredPayment> {
    private static final long serialVersionUID = 1L;
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final long MINUTE = Duration.ofMinutes(1).toMillis();
    private static final Comparator<FraudPayment> BY_EVENT_ID = Comparator.comparing(p -> p.eventId().toString());

    private final Duration dedupTtl;
    private final Duration deviceMemory;
    private final Duration cardRetention;
    private final boolean onArrival;

    private transient MapState<String, Boolean> seenEventIds;
    private transient MapState<Long, List<FraudPayment>> waiting;
    /** The reorder buffer of savepoints taken before {@link FraudPayment}: read, never written. */
    private transient MapState<Long, List<EnrichedTransaction>> formerWaiting;
    private transient ValueState<ActivityWindows> windows;
    private transient MapState<String, Long> devices;
    /** The card tokens the account paid with, each with the event time of its last scored payment. */
    private transient MapState<String, Long> cards;
    private transient Counter duplicates;
    private transient Counter outOfOrderScored;
    private transient Counter scored;
    private transient Counter accountsErased;
    private transient Counter erasedPaymentsDropped;

    /**
     * @param dedupTtl how long an event id is remembered
     * @param deviceMemory how long a device unused by an account stays known to it
     * @param cardRetention how long the card stage keeps an idle card: how long the account remembers
     *     a card token, so that an erasure request reaches every card that may still have state
     * @param delivery {@link AlertDelivery#LOW_LATENCY} scores each payment on arrival instead of in
     *     event-time order
     */
    public AccountFeatureScorer(Duration dedupTtl, Duration deviceMemory, Duration cardRetention,
            AlertDelivery delivery) {
        this.dedupTtl = dedupTtl;
        this.deviceMemory = deviceMemory;
        this.cardRetention = cardRetention;
        this.onArrival = delivery == AlertDelivery.LOW_LATENCY;
    }

    @Override
    public void open(OpenContext context) {
        seenEventIds = getRuntimeContext().getMapState(
                StateTtls.expiringMap("seen-event-ids", Types.STRING, Types.BOOLEAN, dedupTtl));
        waiting = getRuntimeContext().getMapState(new MapStateDescriptor<>("waiting-payments", Types.LONG,
                new ListTypeInfo<>(FraudPayment.TYPE)));
        formerWaiting = getRuntimeContext().getMapState(new MapStateDescriptor<>("waiting-for-watermark", Types.LONG,
                new ListTypeInfo<>(TypeInformation.of(EnrichedTransaction.class))));
        windows = getRuntimeContext().getState(
                new ValueStateDescriptor<>("account-windows", TypeInformation.of(ActivityWindows.class)));
        devices = getRuntimeContext().getMapState(
                StateTtls.expiringMap("account-devices", Types.STRING, Types.LONG, deviceMemory));
        // Expires a day after the card retention, so that it outlives the card stage's state of the card.
        cards = getRuntimeContext().getMapState(StateTtls.expiringMap("account-cards", Types.STRING, Types.LONG,
                cardRetention.plus(Duration.ofDays(1))));
        var metrics = getRuntimeContext().getMetricGroup();
        duplicates = metrics.counter("duplicatesDropped");
        outOfOrderScored = metrics.counter("outOfOrderScored");
        scored = metrics.counter("scored");
        accountsErased = metrics.counter("accountsErased");
        erasedPaymentsDropped = metrics.counter("erasedPaymentsDropped");
    }

    @Override
    public void processElement1(FraudPayment payment, Context ctx, Collector<ScoredPayment> out)
            throws Exception {
        String eventId = payment.eventId().toString();
        if (seenEventIds.contains(eventId)) {
            duplicates.inc();
            return;
        }
        seenEventIds.put(eventId, Boolean.TRUE);
        long eventTime = payment.eventTime();
        if (onArrival) {
            score(payment, ctx, out);
            return;
        }
        if (eventTime <= ctx.timerService().currentWatermark()) {
            outOfOrderScored.inc();
            score(payment, ctx, out);
            return;
        }
        List<FraudPayment> atTime = waiting.get(eventTime);
        List<FraudPayment> next = atTime == null ? new ArrayList<>(1) : new ArrayList<>(atTime);
        next.add(payment);
        waiting.put(eventTime, next);
        ctx.timerService().registerEventTimeTimer(eventTime);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ScoredPayment> out) throws Exception {
        List<FraudPayment> due = waiting.get(timestamp);
        List<EnrichedTransaction> formerDue = formerWaiting.get(timestamp);
        if (due != null || formerDue != null) {
            List<FraudPayment> ordered = new ArrayList<>();
            if (due != null) {
                waiting.remove(timestamp);
                ordered.addAll(due);
            }
            if (formerDue != null) {
                formerWaiting.remove(timestamp);
                formerDue.forEach(p -> ordered.add(FraudPayment.of(p)));
            }
            ordered.sort(BY_EVENT_ID);
            for (FraudPayment payment : ordered) {
                score(payment, ctx, out);
            }
            return; // the windows just took a payment: not empty
        }
        ActivityWindows current = windows.value();
        if (current != null) {
            current.prune(timestamp);
            if (current.isEmpty()) {
                windows.clear();
            }
        }
    }

    /** An erasure request for the account: see the class comment. */
    @Override
    public void processElement2(ErasureRequest request, Context ctx, Collector<ScoredPayment> out) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        long newest = Long.MIN_VALUE;
        for (Map.Entry<Long, List<FraudPayment>> entry : waiting.entries()) {
            ctx.timerService().deleteEventTimeTimer(entry.getKey());
            erasedPaymentsDropped.inc(entry.getValue().size());
        }
        for (Map.Entry<Long, List<EnrichedTransaction>> entry : formerWaiting.entries()) {
            ctx.timerService().deleteEventTimeTimer(entry.getKey());
            erasedPaymentsDropped.inc(entry.getValue().size());
        }
        List<String> tokens = new ArrayList<>();
        for (Map.Entry<String, Long> card : cards.entries()) {
            tokens.add(card.getKey());
            newest = Math.max(newest, card.getValue());
        }
        ActivityWindows current = windows.value();
        if (current != null && current.minutes.length > 0) {
            newest = Math.max(newest, (current.minutes[current.minutes.length - 1] + 1) * MINUTE - 1);
        }
        deleteWindowTimers(ctx, newest, watermark);
        waiting.clear();
        formerWaiting.clear();
        windows.clear();
        seenEventIds.clear();
        devices.clear();
        cards.clear();
        tokens.sort(null);
        for (String token : tokens) {
            out.collect(ScoredPayment.erasure(token));
        }
        accountsErased.inc();
    }

    /**
     * Deletes the coarse window timers {@link #score} registered: one at a whole hour a day after
     * each payment, so none later than a day after the newest payment's hour, and none left at or
     * before the watermark (those fired). Without a newest payment (its windows already empty), the
     * last ones may still be pending just past the watermark. Deleting a timer that is not there does
     * nothing.
     */
    private void deleteWindowTimers(Context ctx, long newest, long watermark) {
        long latest = newest == Long.MIN_VALUE ? Long.MIN_VALUE : ceilToHour(newest + Feature.LONGEST_WINDOW.toMillis());
        if (watermark != Long.MIN_VALUE) {
            latest = Math.max(latest, ceilToHour(watermark) + HOUR);
        }
        if (latest == Long.MIN_VALUE) {
            return;
        }
        // A day and an hour of whole hours back covers every payment of the windows; bounded also
        // when there is no watermark yet.
        long earliest = latest - Feature.LONGEST_WINDOW.toMillis() - HOUR;
        if (watermark != Long.MIN_VALUE) {
            earliest = Math.max(earliest, watermark + 1);
        }
        for (long hour = latest; hour >= earliest; hour -= HOUR) {
            ctx.timerService().deleteEventTimeTimer(hour);
        }
    }

    private void score(FraudPayment payment, Context ctx, Collector<ScoredPayment> out) throws Exception {
        long eventTime = payment.eventTime();
        ActivityWindows current = windows.value();
        if (current == null) {
            current = new ActivityWindows();
        }
        long windowsUntil = ceilToHour(eventTime + Feature.LONGEST_WINDOW.toMillis());
        boolean laterTimer = current.minutes.length > 0 && windowsUntil
                <= ceilToHour(current.minutes[current.minutes.length - 1] * MINUTE + Feature.LONGEST_WINDOW.toMillis());
        current.add(eventTime, payment.amountUsd(), payment.country());
        windows.update(current);
        double[] features = new double[Feature.Entity.ACCOUNT.features().size()];
        current.writeFeatures(Feature.Entity.ACCOUNT, eventTime, features);

        boolean newDevice = false;
        String device = payment.deviceId();
        if (device != null) {
            newDevice = !devices.contains(device);
            devices.put(device, eventTime);
        }
        if (payment.cardToken() != null) {
            cards.put(payment.cardToken(), eventTime);
        }
        // A coarse timer (the next whole hour a day on): one an hour per account, however busy. While
        // the newest minute is kept, its timer (at that hour or later) is pending and prunes all this
        // one would, so a payment whose hour has one registers none: with timers in RocksDB each
        // registration is a write. (A payment scored behind the watermark may then count a minute
        // inside its window that an earlier timer would have pruned: its true count.)
        if (!laterTimer) {
            ctx.timerService().registerEventTimeTimer(windowsUntil);
        }
        scored.inc();
        out.collect(new ScoredPayment(payment, features, newDevice));
    }

    static long ceilToHour(long time) {
        return Math.floorDiv(time + HOUR - 1, HOUR) * HOUR;
    }
}
