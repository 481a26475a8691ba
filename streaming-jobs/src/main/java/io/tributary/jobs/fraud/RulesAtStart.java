package io.tributary.jobs.fraud;

import io.tributary.events.FraudRule;
import io.tributary.jobs.common.Decoded;
import io.tributary.jobs.common.KafkaSettings;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;

/**
 * The rules a fresh start of fraud-detection scores with until its rules input has caught up. The
 * rules reach {@link CardRuleEvaluator} on a broadcast input that has no order with the payments: on
 * a fresh start, payments read from the start of their topic may arrive before the rules, and would
 * be scored with none. So each subtask of the card stage first reads the rules topic itself, up to
 * the end offsets it has then, and scores with those rules until the broadcast input has brought
 * it as far on every partition. A restore from a checkpoint or savepoint reads nothing, its
 * broadcast state holding the rules as far as its source had read, unless the checkpoint was taken
 * while a subtask was still catching up.
 */
public interface RulesAtStart extends Serializable {

    /**
     * What the start read: the values and tombstones, in topic order per partition (malformed rules
     * left out: the rules source dead-letters them), and per partition the offset of the last one.
     */
    record Read(List<Decoded<FraudRule>> changes, Map<Integer, Long> lastOffsets) {}

    /** Reads the rules for the card stage's subtask {@code subtask}; {@code context} opens the decoder. */
    Read read(DeserializationSchema.InitializationContext context, int subtask) throws Exception;

    /** Reads nothing: for a test that gives the job rules on another source. */
    static RulesAtStart none() {
        return Nothing.INSTANCE;
    }

    /**
     * Reads {@code topic} with the job's Kafka settings (its security included) and the rules
     * source's {@code decoder}; fails if its end is not reached within {@code timeout}, every call to
     * the brokers included.
     */
    static RulesAtStart kafka(KafkaSettings kafka, String topic,
            KafkaRecordDeserializationSchema<Decoded<FraudRule>> decoder, Duration timeout) {
        return new KafkaRulesAtStart(kafka, topic, decoder, timeout);
    }

    /** See {@link #none}. */
    enum Nothing implements RulesAtStart {
        INSTANCE;

        @Override
        public Read read(DeserializationSchema.InitializationContext context, int subtask) {
            return new Read(List.of(), Map.of());
        }
    }
}
