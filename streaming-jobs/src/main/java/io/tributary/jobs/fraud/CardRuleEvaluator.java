package io.tributary.jobs.fraud;

import io.tributary.events.Evidence;
import io.tributary.events.FraudAlert;
import io.tributary.events.FraudRule;
import io.tributary.jobs.common.Decoded;
import io.tributary.jobs.common.StateTtls;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.serialization.RuntimeContextInitializationContextAdapters;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The second stage of fraud-detection, keyed by card token; payments arrive in event-time order per
 * card from {@link AccountFeatureScorer} (a card belongs to one account). For each payment it
 * computes the card's features, evaluates every rule in effect at the payment's event time, and
 * emits one alert per rule that fires, unless an alert with the same id was emitted before. The
 * features of card and account go to {@link #FEATURES}, for Redis.
 *
 * <p>Rules arrive on the broadcast input, already checked by the source (a malformed one went to the
 * DLQ). Every version is kept (up to {@link RuleVersions#VERSIONS_KEPT} per rule), so that a
 * change applies exactly to the payments at or after its {@code effective_from}, including ones
 * still to be evaluated; a version at or below one already known is ignored and counted. On a fresh
 * start it scores with the rules {@link RulesAtStart} read until the broadcast input has caught up
 * with them, so that no payment is scored before the rules are in; so does a restore of a checkpoint
 * taken before the broadcast input had caught up.
 *
 * <p>A card's state is dropped by a timer once it has been idle for the card retention; alert ids
 * expire with their state time-to-live.
 *
 * <p>An erasure marker from the account stage ({@link ScoredPayment#erasure}: the card's account
 * asked to be forgotten) clears the card's history and alert ids at once and deletes its retention
 * timers, which are stored under the card token too; counted in {@code cardsErased}.
 */
public final class CardRuleEvaluator
        extends KeyedBroadcastProcessFunction<String, ScoredPayment, Decoded<FraudRule>, FraudAlert>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CardRuleEvaluator.class);
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final long DAY = Duration.ofDays(1).toMillis();

    /** Rule versions by {@link RuleBook#key}, on every subtask. */
    public static final MapStateDescriptor<String, FraudRule> RULES =
            new MapStateDescriptor<>("fraud-rules", Types.STRING, TypeInformation.of(FraudRule.class));
    /** The features of the card and of the account as of each payment. */
    public static final OutputTag<FeatureSnapshot> FEATURES =
            new OutputTag<>("features", TypeInformation.of(FeatureSnapshot.class));

    private final Duration maxVelocityWindow;
    private final Duration cardRetention;
    private final Duration alertMemory;
    private final RulesAtStart rulesAtStart;

    /** Whether this subtask still scores with the rules read at start, as of each checkpoint (union: any subtask). */
    private transient ListState<Boolean> catchingUp;
    /** The highest offset per partition of the rules topic the broadcast input has applied (the same on every subtask). */
    private transient ListState<Tuple2<Integer, Long>> appliedOffsetsState;
    private transient Map<Integer, Long> appliedOffsets;
    /** A fresh start, or a restore of a checkpoint taken while catching up: it reads the rules at start. */
    private transient boolean readAtStart;
    /** The restored broadcast state, when it reads at start after a restore: what the rules read apply to. */
    private transient Map<String, FraudRule> restoredRules;
    /** The rules scored with while the broadcast input catches up with those read at start; else null. */
    private transient RulesCatchUp catchUp;

    private transient ValueState<CardHistory> history;
    private transient MapState<String, Boolean> alerted;
    private transient RuleBook ruleBook;
    private transient Counter alerts;
    private transient Counter repeatedAlerts;
    private transient Counter staleRuleVersions;
    private transient Counter ruleVersions;
    private transient Counter rulesDeleted;
    private transient Counter cardsErased;

    /**
     * @param maxVelocityWindow the longest window a velocity rule may have: how long payment times are kept
     * @param cardRetention how long an idle card's history is kept
     * @param alertMemory how long an alert id is remembered, so that a replay does not repeat it
     * @param rulesAtStart what a fresh start scores with until the broadcast input has caught up
     */
    public CardRuleEvaluator(Duration maxVelocityWindow, Duration cardRetention, Duration alertMemory,
            RulesAtStart rulesAtStart) {
        this.maxVelocityWindow = maxVelocityWindow;
        this.cardRetention = cardRetention;
        this.alertMemory = alertMemory;
        this.rulesAtStart = rulesAtStart;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        var operatorState = context.getOperatorStateStore();
        catchingUp = operatorState.getUnionListState(new ListStateDescriptor<>("rules-at-start-catching-up", Types.BOOLEAN));
        appliedOffsetsState = operatorState.getUnionListState(
                new ListStateDescriptor<>("rules-applied-offsets", Types.TUPLE(Types.INT, Types.LONG)));
        boolean wasCatchingUp = false;
        for (Boolean subtaskCatchingUp : catchingUp.get()) {
            wasCatchingUp |= subtaskCatchingUp;
        }
        appliedOffsets = new HashMap<>();
        for (Tuple2<Integer, Long> applied : appliedOffsetsState.get()) {
            appliedOffsets.merge(applied.f0, applied.f1, Math::max);
        }
        // A checkpoint taken while catching up holds broadcast state short of the rules read at start.
        readAtStart = !context.isRestored() || wasCatchingUp;
        restoredRules = new HashMap<>();
        if (readAtStart && context.isRestored()) {
            for (Map.Entry<String, FraudRule> rule : operatorState.getBroadcastState(RULES).entries()) {
                restoredRules.put(rule.getKey(), rule.getValue());
            }
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        catchingUp.update(List.of(catchUp != null));
        List<Tuple2<Integer, Long>> applied = new ArrayList<>();
        appliedOffsets.forEach((partition, offset) -> applied.add(Tuple2.of(partition, offset)));
        appliedOffsetsState.update(applied);
    }

    @Override
    public void open(OpenContext context) throws Exception {
        history = getRuntimeContext().getState(
                new ValueStateDescriptor<>("card-history", TypeInformation.of(CardHistory.class)));
        alerted = getRuntimeContext().getMapState(
                StateTtls.expiringMap("alert-ids", Types.STRING, Types.BOOLEAN, alertMemory));
        var metrics = getRuntimeContext().getMetricGroup();
        alerts = metrics.counter("alerts");
        repeatedAlerts = metrics.counter("repeatedAlertsSuppressed");
        staleRuleVersions = metrics.counter("staleRuleVersions");
        ruleVersions = metrics.counter("ruleVersionsApplied");
        rulesDeleted = metrics.counter("rulesDeleted");
        cardsErased = metrics.counter("cardsErased");
        Counter changesReadAtStart = metrics.counter("ruleChangesReadAtStart");
        if (readAtStart) {
            readRulesAtStart(changesReadAtStart);
        }
    }

    private void readRulesAtStart(Counter changesRead) throws Exception {
        RulesAtStart.Read read = rulesAtStart.read(RuntimeContextInitializationContextAdapters.deserializationAdapter(
                getRuntimeContext(), metrics -> metrics.addGroup("rulesAtStart")),
                getRuntimeContext().getTaskInfo().getIndexOfThisSubtask());
        changesRead.inc(read.changes().size());
        catchUp = RulesCatchUp.after(read, restoredRules, appliedOffsets);
        restoredRules = null;
        if (catchUp != null) {
            LOG.info("Read {} rule changes at start, up to offsets {} of the partitions: {} rule versions to score"
                    + " with until the rules input has caught up", read.changes().size(), catchUp.until(),
                    catchUp.rules().size());
        }
    }

    @Override
    public void processElement(ScoredPayment scored, ReadOnlyContext ctx, Collector<FraudAlert> out) throws Exception {
        if (scored.isErasure()) {
            erase(ctx);
            return;
        }
        FraudPayment payment = scored.payment;
        long eventTime = payment.eventTime();
        CardHistory card = history.value();
        if (card == null) {
            card = new CardHistory();
        }
        Double usd = payment.amountUsd();
        double[] features = new double[Feature.Entity.CARD.features().size()];
        features[Feature.CARD_AMOUNT_MEAN_USD.index()] = card.amountMean;
        features[Feature.CARD_AMOUNT_STDDEV_USD.index()] = card.amountStddev();
        features[Feature.CARD_AMOUNT_ZSCORE.index()] = usd == null ? 0 : card.zscore(usd);
        card.windows.add(eventTime, usd, payment.country());
        card.windows.writeFeatures(Feature.Entity.CARD, eventTime, features);
        if (usd != null) {
            card.addAmount(usd);
        }
        card.addRecent(eventTime, maxVelocityWindow.toMillis(), RuleSemantics.MAX_VELOCITY_COUNT);
        FraudFacts.Location previous = card.lastTime == Long.MIN_VALUE ? null
                : new FraudFacts.Location(card.lastTime, card.lastLatitude, card.lastLongitude, card.lastCountry);
        FraudFacts facts = new FraudFacts(payment, features, scored.accountFeatures, card, scored.newDevice, previous);

        for (FraudRule rule : rules(ctx).inEffect(eventTime)) {
            List<Evidence> evidence = RuleSemantics.evaluate(rule, facts);
            if (evidence == null) {
                continue;
            }
            FraudAlert alert = AlertFactory.of(rule, payment, evidence, Instant.now());
            String id = alert.getAlertId().toString();
            if (alerted.contains(id)) {
                repeatedAlerts.inc();
            } else {
                alerted.put(id, Boolean.TRUE);
                alerts.inc();
                out.collect(alert);
            }
        }

        FraudFacts.Location here = facts.location();
        if (here != null && here.time() >= card.lastTime) {
            card.lastTime = here.time();
            card.lastLatitude = here.latitude();
            card.lastLongitude = here.longitude();
            card.lastCountry = here.country();
        }
        long retainedUntil = AccountFeatureScorer.ceilToHour(eventTime + cardRetention.toMillis());
        // Only the timer after the newest payment can forget the card (onTimer); one at or before it is
        // there already since that payment, and an earlier one would do nothing. A busy card registers
        // one timer an hour instead of one a payment, each a write with timers in RocksDB.
        boolean newestHour = card.lastActivity == Long.MIN_VALUE
                || retainedUntil > AccountFeatureScorer.ceilToHour(card.lastActivity + cardRetention.toMillis());
        card.lastActivity = Math.max(card.lastActivity, eventTime);
        history.update(card);
        if (newestHour) {
            ctx.timerService().registerEventTimeTimer(retainedUntil);
        }
        ctx.output(FEATURES, new FeatureSnapshot(Feature.Entity.CARD, payment.cardToken(), eventTime, features));
        ctx.output(FEATURES, new FeatureSnapshot(Feature.Entity.ACCOUNT, payment.accountId(), eventTime,
                scored.accountFeatures));
    }

    /**
     * Forgets the card. Its retention timers sit at whole hours, one card retention after each of its
     * payments: none later than that after its last activity, none left at or before the watermark.
     * The search goes back a card retention and a day from the latest, enough for every timer unless
     * the watermark lags the card's newest payment by more than the retention. Deleting a timer that
     * is not there does nothing.
     */
    private void erase(ReadOnlyContext ctx) throws Exception {
        CardHistory card = history.value();
        if (card != null && card.lastActivity != Long.MIN_VALUE) {
            long watermark = ctx.timerService().currentWatermark();
            long latest = AccountFeatureScorer.ceilToHour(card.lastActivity + cardRetention.toMillis());
            long earliest = Math.max(latest - cardRetention.toMillis() - DAY, watermark == Long.MIN_VALUE ? Long.MIN_VALUE
                    : watermark + 1);
            for (long hour = latest; hour >= earliest; hour -= HOUR) {
                ctx.timerService().deleteEventTimeTimer(hour);
            }
        }
        history.clear();
        alerted.clear();
        cardsErased.inc();
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<FraudAlert> out) throws Exception {
        CardHistory card = history.value();
        if (card != null && card.lastActivity + cardRetention.toMillis() <= timestamp) {
            history.clear();
        }
    }

    @Override
    public void processBroadcastElement(Decoded<FraudRule> change, Context ctx, Collector<FraudAlert> out)
            throws Exception {
        RuleVersions.Outcome outcome = RuleVersions.apply(change, RuleVersions.of(ctx.getBroadcastState(RULES)));
        switch (outcome) {
            case ADDED -> ruleVersions.inc();
            case STALE -> {
                staleRuleVersions.inc();
                LOG.warn("Ignoring version {} of rule {}: a newer version is known", change.value.getVersion(),
                        change.value.getRuleId());
            }
            case DELETED -> {
                rulesDeleted.inc();
                LOG.info("Deleted rule {} and its versions on its tombstone", change.key);
            }
            default -> { } // the same version again, e.g. the compacted topic read anew; or nothing to delete
        }
        ruleBook = null;
        if (change.origin != null) {
            appliedOffsets.merge(change.origin.partition, change.origin.offset, Math::max);
        }
        if (catchUp != null && catchUp.caughtUpWith(change)) {
            LOG.info("The rules input has caught up with the rules read at start: scoring with its rules");
            catchUp = null;
        }
    }

    private RuleBook rules(ReadOnlyContext ctx) throws Exception {
        if (ruleBook == null) {
            List<FraudRule> versions = new ArrayList<>();
            if (catchUp != null) {
                versions.addAll(catchUp.rules());
            } else {
                for (Map.Entry<String, FraudRule> entry : ctx.getBroadcastState(RULES).immutableEntries()) {
                    versions.add(entry.getValue());
                }
            }
            ruleBook = new RuleBook(versions);
        }
        return ruleBook;
    }
}
