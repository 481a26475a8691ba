package io.tributary.jobs.common;

import io.tributary.events.EnrichedTransaction;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.common.IsolationLevel;

/**
 * The enriched payments topic as the jobs downstream of the enrichment (fraud-detection,
 * live-metrics) read it: decoded against its contract, watermarked by event time, dead letters
 * split off. Written once so that both jobs judge the same record the same way.
 */
public final class EnrichedPayments {
    private EnrichedPayments() {}

    /** What the source produces. */
    public static final TypeInformation<Decoded<EnrichedTransaction>> TYPE =
            TypeInformation.of(new TypeHint<Decoded<EnrichedTransaction>>() {});

    /** The Kafka source of {@code topic}, read_committed; its dead letters name {@code job}. */
    public static Source<Decoded<EnrichedTransaction>, ?, ?> kafkaSource(KafkaSettings kafka, String topic, String job) {
        return kafkaSource(kafka, topic, job, IsolationLevel.READ_COMMITTED);
    }

    /** As {@link #kafkaSource(KafkaSettings, String, String)}, read with {@code isolation}. */
    public static Source<Decoded<EnrichedTransaction>, ?, ?> kafkaSource(KafkaSettings kafka, String topic, String job,
            IsolationLevel isolation) {
        return kafka.source(topic, ContractRecordDecoder.forEvents(EnrichedTransaction.class, TYPE)
                .registry(kafka.registry()).job(job).build(), isolation);
    }

    /** Reads {@code source} as the input {@code enriched-payments}, with the job's watermark bound and idleness. */
    public static SingleOutputStreamOperator<Decoded<EnrichedTransaction>> read(StreamExecutionEnvironment env,
            Source<Decoded<EnrichedTransaction>, ?, ?> source, Duration maxOutOfOrderness, Duration idleness) {
        return DeadLetterRouter.read(env, source, DecodedWatermarks.boundedOutOfOrderness(maxOutOfOrderness, idleness,
                p -> p.getEventTime().toEpochMilli()), TYPE, "enriched-payments");
    }
}
