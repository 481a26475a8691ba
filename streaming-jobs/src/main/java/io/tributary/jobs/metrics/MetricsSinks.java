package io.tributary.jobs.metrics;

import io.tributary.contracts.TopicContract;
import io.tributary.events.DeadLetter;
import io.tributary.jobs.common.DeadLetterFactory;
import io.tributary.jobs.metrics.postgres.PostgresMinuteSink;
import io.tributary.serde.ConfluentAvroSerializationSchema;
import org.apache.flink.api.connector.sink2.Sink;

/**
 * The outputs of live-metrics: minute rows upserted into PostgreSQL, and dead letters to Kafka,
 * exactly-once (unless configured otherwise) under the job's transactional id prefix.
 */
public record MetricsSinks(Sink<MinuteRow> minutes, Sink<DeadLetter> deadLetters) {

    public static MetricsSinks of(MetricsSettings s) {
        MetricsSettings.Postgres p = s.postgres();
        return new MetricsSinks(
                PostgresMinuteSink.builder().jdbcUrl(p.jdbcUrl()).credentials(p.user(), p.passwordVariable())
                        .maxRetryTime(p.maxRetryTime()).build(),
                s.kafka().sink(s.delivery(), s.topics().deadLetters(), "dlq", DeadLetterFactory::originalKey,
                        ConfluentAvroSerializationSchema.forSpecific(DeadLetter.class)
                                .topic(TopicContract.DEAD_LETTERS).registry(s.kafka().registry()).build()));
    }
}
