package io.tributary.jobs.metrics;

import io.tributary.events.DeadLetter;
import io.tributary.jobs.common.store.StoreSink;
import io.tributary.jobs.metrics.postgres.PostgresMinuteSink;
import org.apache.flink.api.connector.sink2.Sink;

/**
 * The outputs of live-metrics: minute rows upserted into PostgreSQL, and dead letters to Kafka,
 * exactly-once (unless configured otherwise) under the job's transactional id prefix; the rows that
 * PostgreSQL refuses go to the dead letters.
 */
public record MetricsSinks(StoreSink<MinuteRow> minutes, Sink<DeadLetter> deadLetters) {

    public static MetricsSinks of(MetricsSettings s) {
        MetricsSettings.Postgres p = s.postgres();
        return new MetricsSinks(
                PostgresMinuteSink.builder().jdbcUrl(p.jdbcUrl()).credentials(p.user(), p.passwordVariable())
                        .maxRetryTime(p.maxRetryTime()).build(),
                s.kafka().deadLetterSink(s.delivery(), s.topics().deadLetters()));
    }
}
