package io.tributary.jobs.enrichment;

import io.tributary.contracts.TopicContract;
import io.tributary.events.DeadLetter;
import io.tributary.events.EnrichedTransaction;
import io.tributary.events.LateTransaction;
import io.tributary.jobs.common.DeadLetters;
import io.tributary.jobs.common.KafkaConnectors;
import io.tributary.serde.ConfluentAvroSerializationSchema;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.connector.sink2.Sink;

/**
 * The three outputs of the enrichment job. {@link #kafka} gives the real ones: exactly-once (unless
 * configured otherwise), each with its own transactional id prefix under the job's.
 */
public record EnrichmentSinks(Sink<EnrichedTransaction> enriched, Sink<LateTransaction> late,
        Sink<DeadLetter> deadLetters) {

    public static EnrichmentSinks kafka(EnrichmentSettings s) {
        return new EnrichmentSinks(
                KafkaConnectors.sink(s.bootstrapServers(), s.kafkaClientProperties(), s.topics().enriched(),
                        e -> e.getAccountId().getBytes(StandardCharsets.UTF_8),
                        ConfluentAvroSerializationSchema.forSpecific(EnrichedTransaction.class)
                                .topic(TopicContract.ENRICHED_TRANSACTIONS).registry(s.registry()).build(),
                        s.deliveryGuarantee(), s.transactionalIdPrefix() + "-enriched", s.transactionTimeout()),
                KafkaConnectors.sink(s.bootstrapServers(), s.kafkaClientProperties(), s.topics().late(),
                        l -> l.getTransaction().getAccountId().getBytes(StandardCharsets.UTF_8),
                        ConfluentAvroSerializationSchema.forSpecific(LateTransaction.class)
                                .topic(TopicContract.LATE_TRANSACTIONS).registry(s.registry()).build(),
                        s.deliveryGuarantee(), s.transactionalIdPrefix() + "-late", s.transactionTimeout()),
                KafkaConnectors.sink(s.bootstrapServers(), s.kafkaClientProperties(), s.topics().deadLetters(),
                        DeadLetters::originalKey,
                        ConfluentAvroSerializationSchema.forSpecific(DeadLetter.class)
                                .topic(TopicContract.DEAD_LETTERS).registry(s.registry()).build(),
                        s.deliveryGuarantee(), s.transactionalIdPrefix() + "-dlq", s.transactionTimeout()));
    }
}
