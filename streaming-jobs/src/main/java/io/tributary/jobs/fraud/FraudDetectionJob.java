package io.tributary.jobs.fraud;

import io.tributary.events.DeadLetter;
import io.tributary.events.EnrichedTransaction;
import io.tributary.events.ErasureRequest;
import io.tributary.events.FraudAlert;
import io.tributary.events.FraudRule;
import io.tributary.jobs.common.AlwaysIdleWatermarks;
import io.tributary.jobs.common.CatalogJob;
import io.tributary.jobs.common.Dataset;
import io.tributary.jobs.common.DeadLetterRouter;
import io.tributary.jobs.common.Decoded;
import io.tributary.jobs.common.EnrichedPayments;
import io.tributary.jobs.common.JobFootprint;
import io.tributary.jobs.common.JobSecrets;
import io.tributary.jobs.common.store.StoreWriteOperator;
import io.tributary.jobs.fraud.redis.RedisFeatureSink;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Job 2 of DESIGN.md: enriched payments in, fraud alerts out, exactly once. This class only wires;
 * the logic is in {@link AccountFeatureScorer} (deduplicate, event-time order, account features, new
 * devices, GDPR erasure of the account) and {@link CardRuleEvaluator} (card features, rules, alerts,
 * erasure of the account's cards). {@link AlertDelivery} chooses between alerts exactly once in
 * event-time order (the default) and alerts within a fraction of a second, at least once.
 *
 * <pre>
 * enriched ─ decode ─┬─ keyBy(account) ─┬─ account scorer ─ keyBy(card) ─ card rule evaluator ─┬─ alerts sink
 *                    │                  │  (erasure markers ──▶ per card)   ▲                  └─ Redis features writer ─┐
 * erasure requests ─ decode ─┬─ keyBy(account)                             │                     (refused features)    │
 *                    │       └─ dead letters ───────────────────┐          │                                           │
 *                    └─ dead letters ───────────────────────────┤          │                                           │
 * rules ──── decode+check ─┬─ broadcast ────────────────────────┼──────────┘                                           │
 *                          └─ dead letters (malformed rules) ───┴─ DLQ sink ──────────────────────────────────────────┘
 * </pre>
 */
public final class FraudDetectionJob extends CatalogJob<FraudSettings> {
    public static final String NAME = "fraud-detection";

    /** The job as the launchers see it; {@link #build} wires it with other sources and sinks. */
    public FraudDetectionJob() {
        super(NAME, FraudOptions.all(),
                "Computes card and account features from enriched payments and raises fraud alerts, exactly"
                + " once, with the rules of the rules topic.");
    }

    @Override
    public FraudSettings settings(Configuration configuration, JobSecrets secrets) {
        return FraudSettings.from(configuration, secrets.environment());
    }

    @Override
    public void wire(StreamExecutionEnvironment env, FraudSettings settings) {
        build(env, settings, FraudSources.kafka(settings), FraudSinks.kafka(settings));
    }

    @Override
    public String describe(FraudSettings settings) {
        return "alerts to " + settings.topics().alerts() + " (" + settings.alertDelivery() + "), features to Redis (" + settings.redis().keyPrefix()
                + "card:<token>)";
    }

    @Override
    public JobFootprint footprint(FraudSettings s) {
        FraudSettings.Topics t = s.topics();
        // Keeps account and card features, rule versions and alert ids (AccountFeatureScorer, CardRuleEvaluator).
        FraudSettings.Redis r = s.redis();
        List<Dataset> features = Arrays.stream(Feature.Entity.values())
                .map(e -> Dataset.redisKeys(r.host(), r.port(), r.database(), RedisFeatureSink.key(r.keyPrefix(), e, "*")))
                .toList();
        return new JobFootprint(true, s.kafka().groupId(), s.delivery().transactionalIdPrefix(), s.kafka().bootstrapServers(),
                List.of(t.enriched(), t.rules(), t.erasureRequests()), List.of(t.alerts(), t.deadLetters()), s.kafka().clientProperties(),
                List.of(), features);
    }


    /** Wires the job into {@code env}. */
    public static void build(StreamExecutionEnvironment env, FraudSettings settings, FraudSources sources,
            FraudSinks sinks) {
        build(env, settings, sources, sinks, UnaryOperator.identity());
    }

    /**
     * Wires the job, with {@code betweenStages} applied to the scored payments between the account
     * and the card stage: for tests that inject failures.
     */
    public static void build(StreamExecutionEnvironment env, FraudSettings settings, FraudSources sources,
            FraudSinks sinks, UnaryOperator<DataStream<ScoredPayment>> betweenStages) {
        SingleOutputStreamOperator<Decoded<EnrichedTransaction>> payments = EnrichedPayments.read(env,
                sources.payments(), settings.maxOutOfOrderness(), settings.idleness());
        // Rules do not move event time.
        SingleOutputStreamOperator<Decoded<FraudRule>> rules = DeadLetterRouter.readReference(env, sources.rules(),
                WatermarkStrategy.forGenerator(ctx -> new AlwaysIdleWatermarks<>()), FraudSources.RULES_TYPE,
                "fraud-rules");
        // Erasure requests do not move event time either: they act when they arrive.
        SingleOutputStreamOperator<Decoded<ErasureRequest>> erasureRequests = DeadLetterRouter.readReference(env,
                sources.erasureRequests(), WatermarkStrategy.forGenerator(ctx -> new AlwaysIdleWatermarks<>()),
                FraudSources.ERASURE_REQUESTS_TYPE, "erasure-requests");

        // The account stage gained the erasure input under its old uid: its keyed state restores by name.
        SingleOutputStreamOperator<ScoredPayment> scored = payments
                .map(d -> FraudPayment.of(d.value), FraudPayment.TYPE)
                .name("enriched payments").uid("enriched-payments")
                .keyBy(FraudPayment::accountId)
                .connect(erasureRequests
                        .map(d -> d.value, TypeInformation.of(ErasureRequest.class))
                        .name("erasure requests").uid("erasure-requests")
                        .keyBy(ErasureRequest::getAccountId))
                .process(new AccountFeatureScorer(settings.dedupTtl(), settings.deviceMemory(), settings.cardRetention(),
                        settings.alertDelivery()), ScoredPayment.TYPE)
                .name("account features").uid("account-feature-scorer");

        // Payments and erasure markers of a card meet under its token.
        SingleOutputStreamOperator<FraudAlert> alerts = betweenStages.apply(scored)
                .keyBy(ScoredPayment::cardToken)
                // Rule versions and tombstones (a deleted rule) alike.
                .connect(rules.broadcast(CardRuleEvaluator.RULES))
                .process(new CardRuleEvaluator(settings.maxVelocityWindow(), settings.cardRetention(),
                        settings.alertMemory(), sources.rulesAtStart()), TypeInformation.of(FraudAlert.class))
                .name("card features and rules").uid("card-rule-evaluator");

        alerts.sinkTo(sinks.alerts()).name("alerts sink").uid("alerts-sink");
        // Keeps the uid of the Sink it replaced, whose writer kept no state.
        DataStream<DeadLetter> refusedFeatures = StoreWriteOperator.write(alerts.getSideOutput(CardRuleEvaluator.FEATURES),
                sinks.features(), NAME, settings.topics().enriched(), "redis features sink", "redis-features-sink");
        DataStream<DeadLetter> deadLetters = payments.getSideOutput(DeadLetterRouter.DEAD_LETTERS)
                .union(rules.getSideOutput(DeadLetterRouter.DEAD_LETTERS),
                        erasureRequests.getSideOutput(DeadLetterRouter.DEAD_LETTERS), refusedFeatures);
        deadLetters.sinkTo(sinks.deadLetters()).name("dead-letter sink").uid("dead-letter-sink");
    }
}
