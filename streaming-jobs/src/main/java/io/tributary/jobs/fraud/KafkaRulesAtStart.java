package io.tributary.jobs.fraud;

import io.tributary.events.FraudRule;
import io.tributary.jobs.common.CommittedTopic;
import io.tributary.jobs.common.Decoded;
import io.tributary.jobs.common.KafkaSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;

/**
 * {@link RulesAtStart} from the rules topic: read to its end as a downstream consumer would
 * ({@link CommittedTopic}, with the job's Kafka settings: no group, nothing committed,
 * read_committed), each record decoded as the rules source does.
 */
final class KafkaRulesAtStart implements RulesAtStart {
    private static final long serialVersionUID = 1L;

    private final KafkaSettings kafka;
    private final String topic;
    private final KafkaRecordDeserializationSchema<Decoded<FraudRule>> decoder;
    private final Duration timeout;

    KafkaRulesAtStart(KafkaSettings kafka, String topic, KafkaRecordDeserializationSchema<Decoded<FraudRule>> decoder,
            Duration timeout) {
        this.kafka = Objects.requireNonNull(kafka, "kafka");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public Read read(DeserializationSchema.InitializationContext context, int subtask) throws Exception {
        decoder.open(context);
        List<Decoded<FraudRule>> changes = new ArrayList<>();
        Map<Integer, Long> lastOffsets = new TreeMap<>();
        List<Decoded<FraudRule>> decoded = new ArrayList<>();
        ListCollector<Decoded<FraudRule>> out = new ListCollector<>(decoded);
        boolean exists;
        try {
            exists = CommittedTopic.readToEnd(kafka.assigningConsumerProperties("rules-at-start-" + subtask), topic,
                    timeout, record -> {
                        decoded.clear();
                        try {
                            decoder.deserialize(record, out);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                        // Dead letters left out: the rules source dead-letters them and never broadcasts them.
                        for (Decoded<FraudRule> change : decoded) {
                            if (!change.isDeadLetter()) {
                                changes.add(change);
                                lastOffsets.put(record.partition(), record.offset());
                            }
                        }
                    });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (org.apache.kafka.common.errors.TimeoutException | IllegalStateException e) {
            throw new TimeoutException("Reading the rules topic " + topic + " to its end took longer than " + timeout
                    + " (" + e.getMessage() + "): check the brokers and the job's access to the topic");
        }
        if (!exists) {
            throw new IllegalStateException("The rules topic " + topic + " has no partitions this job can see:"
                    + " create it, or let the job's Kafka user describe it");
        }
        return new Read(changes, lastOffsets);
    }
}
