package io.tributary.jobs.fraud;

import io.tributary.contracts.TopicContract;
import io.tributary.events.DeadLetter;
import io.tributary.events.FraudAlert;
import io.tributary.jobs.common.KafkaSettings;
import io.tributary.jobs.common.store.StoreSink;
import io.tributary.jobs.fraud.redis.RedisFeatureSink;
import io.tributary.serde.ConfluentAvroSerializationSchema;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * The outputs of fraud-detection. {@link #kafka} gives the real ones: alerts and dead letters to
 * Kafka, exactly-once (unless configured otherwise; low-latency alerts at least once), each with its own transactional id prefix
 * under the job's; features to Redis, idempotent and flushed at every checkpoint, the features that
 * Redis refuses going to the dead letters.
 */
public record FraudSinks(Sink<FraudAlert> alerts, Sink<DeadLetter> deadLetters, StoreSink<FeatureSnapshot> features) {

    public static FraudSinks kafka(FraudSettings s) {
        KafkaSettings kafka = s.kafka();
        return new FraudSinks(
                kafka.sink(s.alertDelivery() == AlertDelivery.LOW_LATENCY
                                ? s.delivery().withGuarantee(DeliveryGuarantee.AT_LEAST_ONCE) : s.delivery(),
                        s.topics().alerts(), "alerts",
                        a -> a.getCardToken().getBytes(StandardCharsets.UTF_8),
                        ConfluentAvroSerializationSchema.forSpecific(FraudAlert.class)
                                .topic(TopicContract.FRAUD_ALERTS).registry(kafka.registry()).build()),
                kafka.deadLetterSink(s.delivery(), s.topics().deadLetters()),
                redis(s.redis()));
    }

    /** The Redis features sink of the settings; the erasure deletes keys through it. */
    public static RedisFeatureSink redis(FraudSettings.Redis r) {
        RedisFeatureSink.Builder sink = RedisFeatureSink.builder()
                .server(r.host(), r.port())
                .database(r.database())
                .tls(r.tls(), r.tlsCaFile())
                .keyPrefix(r.keyPrefix())
                .featureTtl(r.featureTtl())
                .maxRetryTime(r.maxRetryTime());
        if (r.passwordVariable() != null) {
            sink.auth(r.user(), r.passwordVariable());
        }
        return sink.build();
    }
}
