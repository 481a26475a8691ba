package io.tributary.jobs.enrichment;

import io.tributary.contracts.TopicContract;
import io.tributary.events.DeadLetter;
import io.tributary.events.EnrichedTransaction;
import io.tributary.events.LateTransaction;
import io.tributary.jobs.common.KafkaSettings;
import io.tributary.serde.ConfluentAvroSerializationSchema;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The three outputs of the enrichment job. {@link #kafka} gives the real ones: exactly-once (unless
 * configured otherwise), each with its own transactional id prefix under the job's. The backfill
 * gives its own (the enriched table of the warehouse).
 */
public record EnrichmentSinks(Output<EnrichedTransaction> enriched, Output<LateTransaction> late,
        Output<DeadLetter> deadLetters) {

    /** Where one output stream goes: attaches the operators that write it, with the name and uid given. */
    @FunctionalInterface
    public interface Output<T> {
        void attach(DataStream<T> stream, String name, String uid);

        /** The output written by one sink. */
        static <T> Output<T> of(Sink<T> sink) {
            return (stream, name, uid) -> stream.sinkTo(sink).name(name).uid(uid);
        }
    }

    /** The exactly-once Kafka sinks of the settings. */
    public static EnrichmentSinks kafka(EnrichmentSettings s) {
        KafkaSettings kafka = s.kafka();
        return new EnrichmentSinks(
                Output.of(kafka.sink(s.delivery(), s.topics().enriched(), "enriched",
                        e -> e.getAccountId().getBytes(StandardCharsets.UTF_8),
                        ConfluentAvroSerializationSchema.forSpecific(EnrichedTransaction.class)
                                .topic(TopicContract.ENRICHED_TRANSACTIONS).registry(kafka.registry()).build())),
                Output.of(kafka.sink(s.delivery(), s.topics().late(), "late",
                        l -> l.getTransaction().getAccountId().getBytes(StandardCharsets.UTF_8),
                        ConfluentAvroSerializationSchema.forSpecific(LateTransaction.class)
                                .topic(TopicContract.LATE_TRANSACTIONS).registry(kafka.registry()).build())),
                Output.of(kafka.deadLetterSink(s.delivery(), s.topics().deadLetters())));
    }
}
