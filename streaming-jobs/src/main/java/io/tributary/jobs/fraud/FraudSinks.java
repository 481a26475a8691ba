package io.tributary.jobs.fraud;

import io.tributary.contracts.TopicContract;
import io.tributary.events.DeadLetter;
import io.tributary.events.FraudAlert;
import io.tributary.jobs.common.DeadLetters;
import io.tributary.jobs.common.KafkaConnectors;
import io.tributary.serde.ConfluentAvroSerializationSchema;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.connector.sink2.Sink;

/**
 * The outputs of fraud-detection. {@link #kafka} gives the real ones: exactly-once (unless
 * configured otherwise), each with its own transactional id prefix under the job's.
 */
public record FraudSinks(Sink<FraudAlert> alerts, Sink<DeadLetter> deadLetters) {

    public static FraudSinks kafka(FraudSettings s) {
        return new FraudSinks(
                KafkaConnectors.sink(s.bootstrapServers(), s.kafkaClientProperties(), s.topics().alerts(),
                        a -> a.getCardToken().getBytes(StandardCharsets.UTF_8),
                        ConfluentAvroSerializationSchema.forSpecific(FraudAlert.class)
                                .topic(TopicContract.FRAUD_ALERTS).registry(s.registry()).build(),
                        s.deliveryGuarantee(), s.transactionalIdPrefix() + "-alerts", s.transactionTimeout()),
                KafkaConnectors.sink(s.bootstrapServers(), s.kafkaClientProperties(), s.topics().deadLetters(),
                        DeadLetters::originalKey,
                        ConfluentAvroSerializationSchema.forSpecific(DeadLetter.class)
                                .topic(TopicContract.DEAD_LETTERS).registry(s.registry()).build(),
                        s.deliveryGuarantee(), s.transactionalIdPrefix() + "-dlq", s.transactionTimeout()));
    }
}
