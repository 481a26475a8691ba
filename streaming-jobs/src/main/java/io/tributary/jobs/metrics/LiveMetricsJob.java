package io.tributary.jobs.metrics;

import io.tributary.events.DeadLetter;
import io.tributary.events.EnrichedTransaction;
import io.tributary.events.FraudAlert;
import io.tributary.jobs.common.CatalogJob;
import io.tributary.jobs.common.Dataset;
import io.tributary.jobs.common.DeadLetterRouter;
import io.tributary.jobs.common.Decoded;
import io.tributary.jobs.common.DecodedWatermarks;
import io.tributary.jobs.common.EnrichedPayments;
import io.tributary.jobs.common.JobFootprint;
import io.tributary.jobs.common.JobSecrets;
import io.tributary.jobs.common.store.StoreWriteOperator;
import io.tributary.jobs.metrics.postgres.MetricsSchema;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;

/**
 * Job 3 of DESIGN.md: one-minute event-time totals per merchant category and country (payments,
 * USD, declines, alerts), upserted into PostgreSQL for the live dashboards. This class only wires;
 * the logic is in {@link AlertAttribution} (each alert counted at its payment's minute and
 * dimensions) and {@link MinuteTotals}.
 *
 * <pre>
 * enriched ─ decode ─┬──────────────┐
 * alerts ─── decode ─┼─ keyBy(account, event id) ─ attribution ─ keyBy(category, country) ─ 1-min windows ─ PostgreSQL
 *                    └─ dead letters ─ DLQ ─────────────────────────────────────────────── rows PostgreSQL refused ─┘
 * </pre>
 *
 * A minute's row is written when the watermark passes its end, and again for each payment or alert
 * that arrives within the allowed lateness; later ones are dropped and counted by Flink
 * ({@code numLateRecordsDropped} of the window operator), which alerts: the enriched topic and the
 * warehouse keep them, only the minute's row misses them.
 */
public final class LiveMetricsJob extends CatalogJob<MetricsSettings> {
    public static final String NAME = "live-metrics";

    /** The job as the launchers see it; {@link #build} wires it with other sources and sinks. */
    public LiveMetricsJob() {
        super(NAME, MetricsOptions.all(),
                "Writes one-minute totals per merchant category and country (payments, USD, declines,"
                + " alerts) to PostgreSQL for the live dashboards; migrates its tables first.");
    }

    @Override
    public MetricsSettings settings(Configuration configuration, JobSecrets secrets) {
        return MetricsSettings.from(configuration, secrets.environment());
    }

    @Override
    public String preflight(MetricsSettings settings, JobSecrets secrets) throws Exception {
        List<Integer> applied = MetricsSchema.migrate(settings.postgres(), secrets.environment());
        return applied.isEmpty() ? "PostgreSQL schema up to date" : "PostgreSQL schema migrated: " + applied;
    }

    @Override
    public void wire(StreamExecutionEnvironment env, MetricsSettings settings) {
        build(env, settings, MetricsSources.kafka(settings), MetricsSinks.of(settings));
    }

    @Override
    public String describe(MetricsSettings settings) {
        return "minute rows in live_metrics_minute of " + settings.postgres().jdbcUrl();
    }

    @Override
    public JobFootprint footprint(MetricsSettings s) {
        MetricsSettings.Topics t = s.topics();
        // Keeps open minute windows and payments' dimensions (AlertAttribution).
        return new JobFootprint(true, s.kafka().groupId(), s.delivery().transactionalIdPrefix(), s.kafka().bootstrapServers(),
                List.of(t.enriched(), t.alerts()), List.of(t.deadLetters()), s.kafka().clientProperties(), List.of(),
                List.of(Dataset.postgresTable(s.postgres().jdbcUrl(), MetricsSchema.MINUTE_TABLE)));
    }


    /** Wires the job into {@code env}. */
    public static void build(StreamExecutionEnvironment env, MetricsSettings settings, MetricsSources sources,
            MetricsSinks sinks) {
        build(env, settings, sources, sinks, UnaryOperator.identity());
    }

    /** Wires the job, with {@code beforeWindows} applied to the contributions: for tests that inject failures. */
    public static void build(StreamExecutionEnvironment env, MetricsSettings settings, MetricsSources sources,
            MetricsSinks sinks, UnaryOperator<DataStream<Contribution>> beforeWindows) {
        SingleOutputStreamOperator<Decoded<EnrichedTransaction>> payments = EnrichedPayments.read(env,
                sources.payments(), settings.maxOutOfOrderness(), settings.idleness());
        // An alert's time is its payment's: it counts in that minute.
        SingleOutputStreamOperator<Decoded<FraudAlert>> alerts = DeadLetterRouter.read(env, sources.alerts(),
                watermarks(settings, FraudAlert::getEventTime), MetricsSources.ALERTS_TYPE, "fraud-alerts");

        DataStream<Contribution> contributions = payments
                .map(d -> d.value, TypeInformation.of(EnrichedTransaction.class))
                .name("enriched payments").uid("enriched-payments")
                .keyBy(AlertAttribution::key, Types.STRING)
                .connect(alerts.map(d -> d.value, TypeInformation.of(FraudAlert.class))
                        .name("fraud alerts").uid("fraud-alerts")
                        .keyBy(AlertAttribution::key, Types.STRING))
                .process(new AlertAttribution(settings.alertJoinWindow()), TypeInformation.of(Contribution.class))
                .name("attribute alerts to their payment").uid("alert-attribution");

        DataStream<MinuteRow> rows = beforeWindows.apply(contributions)
                .keyBy(Contribution::key, TypeInformation.of(MinuteKey.class))
                .window(TumblingEventTimeWindows.of(Duration.ofMinutes(1)))
                .allowedLateness(settings.allowedLateness())
                .aggregate(new MinuteTotals(), new MinuteTotals.AsRow(), TypeInformation.of(Contribution.class),
                        TypeInformation.of(Contribution.class), TypeInformation.of(MinuteRow.class))
                .name("minute totals").uid("minute-totals");
        // Keeps the uid of the Sink it replaced, whose writer kept no state. A minute row sums many
        // payments and alerts: its dead letter names the payments' topic.
        DataStream<DeadLetter> refusedRows = StoreWriteOperator.write(rows, sinks.minutes(), NAME,
                settings.topics().enriched(), "postgres minutes sink", "postgres-minutes-sink");

        DataStream<DeadLetter> deadLetters = payments.getSideOutput(DeadLetterRouter.DEAD_LETTERS)
                .union(alerts.getSideOutput(DeadLetterRouter.DEAD_LETTERS), refusedRows);
        deadLetters.sinkTo(sinks.deadLetters()).name("dead-letter sink").uid("dead-letter-sink");
    }

    private static <T> WatermarkStrategy<Decoded<T>> watermarks(MetricsSettings settings,
            SerializableFunction<T, Instant> eventTime) {
        return DecodedWatermarks.boundedOutOfOrderness(settings.maxOutOfOrderness(), settings.idleness(),
                value -> eventTime.apply(value).toEpochMilli());
    }
}
