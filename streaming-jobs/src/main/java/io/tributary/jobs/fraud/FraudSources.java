package io.tributary.jobs.fraud;

import io.tributary.contracts.RejectionReason;
import io.tributary.events.EnrichedTransaction;
import io.tributary.events.FraudRule;
import io.tributary.jobs.common.ContractRecordDecoder;
import io.tributary.jobs.common.Decoded;
import io.tributary.jobs.common.EnrichedPayments;
import io.tributary.jobs.common.KafkaSettings;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;

/**
 * The two inputs of fraud-detection. The job wires whatever sources it is given; {@link #kafka}
 * gives the real ones, a test may give others.
 */
public record FraudSources(Source<Decoded<EnrichedTransaction>, ?, ?> payments, Source<Decoded<FraudRule>, ?, ?> rules) {

    static final TypeInformation<Decoded<FraudRule>> RULES_TYPE =
            TypeInformation.of(new TypeHint<Decoded<FraudRule>>() {});

    /** The Kafka topics of the settings; rules are read whole on a fresh start. */
    public static FraudSources kafka(FraudSettings s) {
        String job = FraudDetectionJob.NAME;
        Duration maxVelocityWindow = s.maxVelocityWindow();
        KafkaSettings kafka = s.kafka();
        return new FraudSources(
                EnrichedPayments.kafkaSource(kafka, s.topics().enriched(), job),
                kafka.changelogSource(s.topics().rules(), ContractRecordDecoder.forChangelog(FraudRule.class, RULES_TYPE)
                        .registry(kafka.registry()).job(job)
                        .check(rule -> RuleSemantics.problem(rule, maxVelocityWindow), RejectionReason.CONTRACT_INVALID_RULE)
                        .build()));
    }
}
