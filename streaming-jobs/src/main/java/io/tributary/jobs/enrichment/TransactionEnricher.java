package io.tributary.jobs.enrichment;

import io.tributary.contracts.RejectionReason;
import io.tributary.events.EnrichedTransaction;
import io.tributary.events.FxRate;
import io.tributary.events.LateTransaction;
import io.tributary.events.MaskedTransaction;
import io.tributary.events.Merchant;
import io.tributary.jobs.common.DeadLetterFactory;
import io.tributary.jobs.common.DeadLetterRouter;
import io.tributary.jobs.common.Origin;
import io.tributary.jobs.common.StateTtls;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The heart of the enrichment job, keyed by account: everything about one account lives under its
 * key, so transactions are shuffled once.
 *
 * <ul>
 *   <li>Deduplicates on event id within the account (state with a time-to-live), keeping a
 *       fingerprint of each event's content: a producer's retry (same content) is dropped; an event
 *       id reused with other content is a conflict, dead-lettered as {@code DUPLICATE_CONFLICT},
 *       and the first event stands. An event id under another account is another payment: a
 *       retry is the same record sent again, with the same key, so it never changes account.
 *   <li>Sends events later than the allowed lateness behind the watermark to the late output.
 *   <li>Emits an event enriched at once when its account and the FX rate valid at its time are
 *       known. Otherwise holds it until the watermark passes its event time, so that what was
 *       missing has had the chance to arrive, then emits it, flagged if the rate is still missing;
 *       an event whose account has no profile yet waits up to the account wait more, then goes out
 *       flagged.
 *   <li>Keeps the last versions of the account's profile to enrich as of event time.
 *   <li>A profile tombstone (the right to be forgotten, published by {@code tributary gdpr erase})
 *       clears everything kept under the account's key: its profile versions, the event ids and
 *       content fingerprints of its payments, and its payments still held back, with their timers.
 *       The held payments go out at once, as payments of an unknown account ({@code account_known}
 *       false, as after the account wait), converted with the rate known at that moment (flagged
 *       if none is): every input still ends in an output, and nothing of the account stays in the
 *       state, so the next savepoint no longer holds its id. A retry of one of its payments that
 *       arrives after the tombstone is no longer recognised and goes out again.
 *   <li>Holds merchants and FX rates, small and slow, in broadcast state on every subtask.
 * </ul>
 *
 * <p>Lateness is judged against the watermark, but never one ahead of the payments themselves: when
 * every payment partition is idle, Flink's watermark follows the reference inputs alone, and FX
 * rates published ahead of their validity would make the next payments look late. So the watermark
 * used is at most the newest payment time seen minus the out-of-orderness bound, each payment's
 * time taken no later than when it reached Kafka, so no single payment dated ahead moves it. Flink does not
 * checkpoint watermarks; this function keeps the one it used in operator state, so that whether an
 * event is late does not change when the job restarts.
 */
public final class TransactionEnricher
        extends KeyedBroadcastProcessFunction<String, AccountEvent, ReferenceUpdate, EnrichedTransaction>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    /** Events that arrived after the allowed lateness. */
    public static final OutputTag<LateTransaction> LATE =
            new OutputTag<>("late-transactions", TypeInformation.of(LateTransaction.class));
    /** Merchants by id, on every subtask. */
    public static final MapStateDescriptor<String, Merchant> MERCHANTS =
            new MapStateDescriptor<>("merchants", Types.STRING, TypeInformation.of(Merchant.class));
    /** FX rates by currency and validity start, on every subtask. */
    public static final MapStateDescriptor<String, FxRate> FX_RATES =
            new MapStateDescriptor<>("fx-rates", Types.STRING, TypeInformation.of(FxRate.class));

    private final Duration maxOutOfOrderness;
    private final Duration allowedLateness;
    private final Duration accountWait;
    private final Duration dedupTtl;
    private final Duration referenceHistory;
    private final String job;

    private transient MapState<String, Long> fingerprints;
    private transient MapState<String, Boolean> seenEventIdsBeforeFingerprints;
    private transient MapState<Long, List<MaskedTransaction>> waitingForWatermark;
    private transient MapState<Long, List<MaskedTransaction>> waitingForAccount;
    private transient ValueState<AccountHistory> profiles;
    private transient ListState<Long> watermarkState;
    private transient FxRateTable fxRates;
    private transient long flinkWatermark;
    private transient long latenessWatermark;
    private transient long newestPaymentTime;
    private transient Counter deduplicated;
    private transient Counter duplicateConflicts;
    private transient Counter late;
    private transient Counter enriched;
    private transient Counter unknownAccount;
    private transient Counter unknownMerchant;
    private transient Counter missingFxRate;
    private transient Counter forgotten;

    public TransactionEnricher(Duration maxOutOfOrderness, Duration allowedLateness, Duration accountWait,
            Duration dedupTtl, Duration referenceHistory, String job) {
        this.maxOutOfOrderness = maxOutOfOrderness;
        this.allowedLateness = allowedLateness;
        this.accountWait = accountWait;
        this.dedupTtl = dedupTtl;
        this.referenceHistory = referenceHistory;
        this.job = job;
    }

    @Override
    public void open(OpenContext context) {
        fingerprints = getRuntimeContext().getMapState(
                StateTtls.expiringMap("event-fingerprints", Types.STRING, Types.LONG, dedupTtl));
        // Event ids remembered by a version without fingerprints, in a savepoint taken before the
        // upgrade: read, never written, so they are gone one dedup TTL after it (then drop this).
        seenEventIdsBeforeFingerprints = getRuntimeContext().getMapState(
                StateTtls.expiringMap("seen-event-ids", Types.STRING, Types.BOOLEAN, dedupTtl));
        TypeInformation<List<MaskedTransaction>> events = new ListTypeInfo<>(TypeInformation.of(MaskedTransaction.class));
        waitingForWatermark = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("waiting-for-watermark", Types.LONG, events));
        waitingForAccount = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("waiting-for-account", Types.LONG, events));
        profiles = getRuntimeContext().getState(
                new ValueStateDescriptor<>("profile-history", TypeInformation.of(AccountHistory.class)));
        var metrics = getRuntimeContext().getMetricGroup();
        deduplicated = metrics.counter("deduplicated");
        duplicateConflicts = metrics.counter("duplicateConflicts");
        late = metrics.counter("late");
        enriched = metrics.counter("enriched");
        unknownAccount = metrics.counter("unknownAccount");
        unknownMerchant = metrics.counter("unknownMerchant");
        missingFxRate = metrics.counter("missingFxRate");
        forgotten = metrics.counter("accountsForgotten");
        metrics.gauge("watermarkLagMs", () -> latenessWatermark == Long.MIN_VALUE ? 0L
                : Math.max(0L, System.currentTimeMillis() - latenessWatermark));
    }

    @Override
    public void processElement(AccountEvent event, ReadOnlyContext ctx, Collector<EnrichedTransaction> out)
            throws Exception {
        if (event.profile != null) {
            addProfile(event.profile);
            releaseWaitingForAccount(ctx, out);
        } else if (event.forgotten) {
            forget(ctx, out);
        } else {
            acceptPayment(event.transaction, event.origin, ctx, out);
        }
    }

    private void acceptPayment(MaskedTransaction t, Origin origin, ReadOnlyContext ctx,
            Collector<EnrichedTransaction> out) throws Exception {
        String eventId = t.getEventId().toString();
        long fingerprint = ContentFingerprint.of(t);
        Long first = fingerprints.get(eventId);
        if (first != null && !ContentFingerprint.sameContent(first, fingerprint, t)) {
            duplicateConflicts.inc();
            ctx.output(DeadLetterRouter.DEAD_LETTERS, DeadLetterFactory.of(origin,
                    RejectionReason.DUPLICATE_CONFLICT.name(), "event_id was seen for this account within the"
                            + " deduplication time-to-live with other content; the first event was kept", job));
            return;
        }
        if (first != null || seenEventIdsBeforeFingerprints.contains(eventId)) {
            deduplicated.inc();
            return;
        }
        fingerprints.put(eventId, fingerprint);
        long eventTime = t.getEventTime().toEpochMilli();
        flinkWatermark = ctx.currentWatermark();
        long watermark = latenessWatermark();
        // A payment vouches for event time only up to when it reached Kafka: one dated ahead (the
        // future check allows some clock skew) must not make the payments after it look late.
        newestPaymentTime = Math.max(newestPaymentTime, origin == null ? eventTime : Math.min(eventTime, origin.receivedAt));
        if (watermark != Long.MIN_VALUE && eventTime + allowedLateness.toMillis() < watermark) {
            late.inc();
            ctx.output(LATE, LateTransaction.newBuilder().setTransaction(t).setWatermark(Instant.ofEpochMilli(watermark))
                    .setAllowedLatenessMs(allowedLateness.toMillis()).setJob(job).build());
            return;
        }
        AccountSnapshot account = profileAsOf(eventTime);
        if (account != null) {
            // Looked up once: the rate that decides whether the payment can go now is the one it gets.
            FxRate rate = rateAt(t, eventTime, ctx);
            if (rate != null || "USD".equals(t.getCurrency())) {
                emit(t, account, rate, ctx, out);
                return;
            }
        }
        append(waitingForWatermark, eventTime, t);
        ctx.timerService().registerEventTimeTimer(eventTime);
    }

    private FxRate rateAt(MaskedTransaction t, long eventTime, ReadOnlyContext ctx) throws Exception {
        return fxRates(ctx.getBroadcastState(FX_RATES)).validAt(t.getCurrency(), eventTime);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<EnrichedTransaction> out) throws Exception {
        flinkWatermark = ctx.currentWatermark();
        List<MaskedTransaction> due = waitingForWatermark.get(timestamp);
        if (due != null) {
            waitingForWatermark.remove(timestamp);
            for (MaskedTransaction t : due) {
                AccountSnapshot account = profileAsOf(timestamp);
                if (account == null && !accountWait.isZero()) {
                    long deadline = timestamp + accountWait.toMillis();
                    append(waitingForAccount, deadline, t);
                    ctx.timerService().registerEventTimeTimer(deadline);
                } else {
                    emit(t, account, ctx, out);
                }
            }
        }
        List<MaskedTransaction> gaveUp = waitingForAccount.get(timestamp);
        if (gaveUp != null) {
            waitingForAccount.remove(timestamp);
            for (MaskedTransaction t : gaveUp) {
                emit(t, profileAsOf(t.getEventTime().toEpochMilli()), ctx, out);
            }
        }
    }

    /** A profile arrived: events that were waiting for one go out now, as of their event time. */
    private void releaseWaitingForAccount(ReadOnlyContext ctx, Collector<EnrichedTransaction> out) throws Exception {
        if (waitingForAccount.isEmpty()) {
            return;
        }
        List<Map.Entry<Long, List<MaskedTransaction>>> entries = new ArrayList<>();
        waitingForAccount.entries().forEach(entries::add);
        waitingForAccount.clear();
        for (Map.Entry<Long, List<MaskedTransaction>> entry : entries) {
            for (MaskedTransaction t : entry.getValue()) {
                emit(t, profileAsOf(t.getEventTime().toEpochMilli()), ctx, out);
            }
        }
    }

    /**
     * The account's tombstone: its state goes, held payments go out as an unknown account's. Timers
     * are deleted too: a timer is stored under the account's key, so one left behind would keep the
     * account id in every checkpoint until it fired.
     */
    private void forget(ReadOnlyContext ctx, Collector<EnrichedTransaction> out) throws Exception {
        profiles.clear();
        List<MaskedTransaction> held = new ArrayList<>();
        for (MapState<Long, List<MaskedTransaction>> waiting : List.of(waitingForWatermark, waitingForAccount)) {
            List<Map.Entry<Long, List<MaskedTransaction>>> entries = new ArrayList<>();
            waiting.entries().forEach(entries::add);
            for (Map.Entry<Long, List<MaskedTransaction>> entry : entries) {
                ctx.timerService().deleteEventTimeTimer(entry.getKey());
                held.addAll(entry.getValue());
            }
            waiting.clear();
        }
        held.sort(Comparator.comparing(MaskedTransaction::getEventTime));
        for (MaskedTransaction t : held) {
            emit(t, null, ctx, out);
        }
        fingerprints.clear();
        seenEventIdsBeforeFingerprints.clear();
        forgotten.inc();
    }

    private void emit(MaskedTransaction t, AccountSnapshot account, ReadOnlyContext ctx,
            Collector<EnrichedTransaction> out) throws Exception {
        emit(t, account, rateAt(t, t.getEventTime().toEpochMilli(), ctx), ctx, out);
    }

    private void emit(MaskedTransaction t, AccountSnapshot account, FxRate rate, ReadOnlyContext ctx,
            Collector<EnrichedTransaction> out) throws Exception {
        Merchant merchant = ctx.getBroadcastState(MERCHANTS).get(t.getMerchantId());
        EnrichedTransaction result = EnrichedRecordFactory.of(t, account, merchant, rate);
        if (account == null) {
            unknownAccount.inc();
        }
        if (merchant == null) {
            unknownMerchant.inc();
        }
        if (!result.getFxRateKnown()) {
            missingFxRate.inc();
        }
        enriched.inc();
        out.collect(result);
    }

    @Override
    public void processBroadcastElement(ReferenceUpdate update, Context ctx, Collector<EnrichedTransaction> out)
            throws Exception {
        if (update.merchant != null) {
            // The newest version wins, whatever the order versions arrive in: a replayed topic, or the
            // backfill, which reads the merchants table in no particular order.
            var merchants = ctx.getBroadcastState(MERCHANTS);
            Merchant known = merchants.get(update.merchant.getMerchantId());
            if (known == null || !known.getUpdatedAt().isAfter(update.merchant.getUpdatedAt())) {
                merchants.put(update.merchant.getMerchantId(), update.merchant);
            }
        } else if (update.deletedMerchantId != null) {
            ctx.getBroadcastState(MERCHANTS).remove(update.deletedMerchantId);
        } else if (update.rate != null) {
            var state = ctx.getBroadcastState(FX_RATES);
            FxRateTable table = fxRates(state);
            state.put(FxRateTable.stateKey(update.rate), update.rate);
            table.put(update.rate);
            for (FxRate old : table.prune(update.rate.getCurrency(), referenceHistory)) {
                state.remove(FxRateTable.stateKey(old));
            }
        }
    }

    /** The in-memory index of the FX rates, built from the broadcast state on first use after a start. */
    private FxRateTable fxRates(ReadOnlyBroadcastState<String, FxRate> state) throws Exception {
        if (fxRates == null) {
            FxRateTable table = new FxRateTable();
            for (Map.Entry<String, FxRate> entry : state.immutableEntries()) {
                table.put(entry.getValue());
            }
            fxRates = table;
        }
        return fxRates;
    }

    private void addProfile(AccountSnapshot profile) throws Exception {
        AccountHistory history = profiles.value();
        profiles.update((history == null ? new AccountHistory() : history).with(profile));
    }

    /** The profile version in effect at {@code eventTime} (see {@link AccountHistory#asOf}); null if none. */
    private AccountSnapshot profileAsOf(long eventTime) throws Exception {
        AccountHistory history = profiles.value();
        return history == null ? null : history.asOf(eventTime);
    }

    private static void append(MapState<Long, List<MaskedTransaction>> state, long key, MaskedTransaction t)
            throws Exception {
        List<MaskedTransaction> list = state.get(key);
        if (list == null) {
            list = new ArrayList<>(1);
        }
        list.add(t);
        state.put(key, list);
    }

    /**
     * The watermark for lateness decisions: Flink's, capped by the newest payment time minus the
     * out-of-orderness bound, and never behind the one used before a restart.
     */
    private long latenessWatermark() {
        long payments = newestPaymentTime == Long.MIN_VALUE ? Long.MIN_VALUE
                : newestPaymentTime - maxOutOfOrderness.toMillis();
        latenessWatermark = Math.max(latenessWatermark, Math.min(flinkWatermark, payments));
        return latenessWatermark;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        watermarkState.update(List.of(latenessWatermark()));
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        watermarkState = context.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>("last-watermark", Types.LONG));
        flinkWatermark = Long.MIN_VALUE;
        latenessWatermark = Long.MIN_VALUE;
        newestPaymentTime = Long.MIN_VALUE;
        if (context.isRestored()) {
            // After rescaling every subtask sees every subtask's watermark: the smallest is safe for all.
            long smallest = Long.MAX_VALUE;
            for (Long w : watermarkState.get()) {
                smallest = Math.min(smallest, w);
            }
            latenessWatermark = smallest == Long.MAX_VALUE ? Long.MIN_VALUE : smallest;
        }
    }
}
