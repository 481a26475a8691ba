package io.tributary.jobs.metrics;

import io.tributary.events.EnrichedTransaction;
import io.tributary.events.FraudAlert;
import io.tributary.jobs.common.ContractRecordDecoder;
import io.tributary.jobs.common.Decoded;
import io.tributary.jobs.common.EnrichedPayments;
import io.tributary.jobs.common.KafkaSettings;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;

/**
 * The two inputs of live-metrics. The job wires whatever sources it is given; {@link #kafka} gives
 * the real ones, a test may give others.
 */
public record MetricsSources(Source<Decoded<EnrichedTransaction>, ?, ?> payments, Source<Decoded<FraudAlert>, ?, ?> alerts) {

    static final TypeInformation<Decoded<FraudAlert>> ALERTS_TYPE =
            TypeInformation.of(new TypeHint<Decoded<FraudAlert>>() {});

    /** The Kafka topics of the settings. */
    public static MetricsSources kafka(MetricsSettings s) {
        String job = LiveMetricsJob.NAME;
        KafkaSettings kafka = s.kafka();
        return new MetricsSources(
                EnrichedPayments.kafkaSource(kafka, s.topics().enriched(), job),
                kafka.source(s.topics().alerts(), ContractRecordDecoder.forEvents(FraudAlert.class, ALERTS_TYPE)
                        .registry(kafka.registry()).job(job).build()));
    }
}
