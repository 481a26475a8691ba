package io.tributary.jobs.fraud;

import io.tributary.contracts.RejectionReason;
import io.tributary.events.EnrichedTransaction;
import io.tributary.events.ErasureRequest;
import io.tributary.events.FraudRule;
import io.tributary.jobs.common.ContractRecordDecoder;
import io.tributary.jobs.common.Decoded;
import io.tributary.jobs.common.EnrichedPayments;
import io.tributary.jobs.common.KafkaSettings;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.kafka.common.IsolationLevel;

/**
 * The three inputs of fraud-detection: enriched payments, rules and GDPR erasure requests. The job
 * wires whatever sources it is given; {@link #kafka} gives the real ones, a test may give others.
 */
public record FraudSources(Source<Decoded<EnrichedTransaction>, ?, ?> payments, Source<Decoded<FraudRule>, ?, ?> rules,
        RulesAtStart rulesAtStart, Source<Decoded<ErasureRequest>, ?, ?> erasureRequests) {

    static final TypeInformation<Decoded<FraudRule>> RULES_TYPE =
            TypeInformation.of(new TypeHint<Decoded<FraudRule>>() {});
    static final TypeInformation<Decoded<ErasureRequest>> ERASURE_REQUESTS_TYPE =
            TypeInformation.of(new TypeHint<Decoded<ErasureRequest>>() {});

    /**
     * The Kafka topics of the settings. Payments are read read_committed, or as they are written for
     * low-latency alerts ({@link AlertDelivery}). Rules are read whole on a fresh start, by the source and,
     * before the first payment is scored, by {@link RulesAtStart}; so are the erasure requests still in
     * their topic (7 days), so that a job started afresh forgets those accounts too.
     */
    public static FraudSources kafka(FraudSettings s) {
        String job = FraudDetectionJob.NAME;
        Duration maxVelocityWindow = s.maxVelocityWindow();
        KafkaSettings kafka = s.kafka();
        // With offsets, so that the card stage knows when its broadcast input has caught up with RulesAtStart.
        ContractRecordDecoder<FraudRule, FraudRule> rules = ContractRecordDecoder.forChangelog(FraudRule.class, RULES_TYPE)
                .registry(kafka.registry()).job(job).withOrigin()
                .check(rule -> RuleSemantics.problem(rule, maxVelocityWindow), RejectionReason.CONTRACT_INVALID_RULE)
                .build();
        return new FraudSources(
                EnrichedPayments.kafkaSource(kafka, s.topics().enriched(), job,
                        s.alertDelivery() == AlertDelivery.LOW_LATENCY ? IsolationLevel.READ_UNCOMMITTED
                                : IsolationLevel.READ_COMMITTED),
                kafka.changelogSource(s.topics().rules(), rules),
                RulesAtStart.kafka(kafka, s.topics().rules(), rules, s.rulesAtStartTimeout()),
                kafka.changelogSource(s.topics().erasureRequests(),
                        ContractRecordDecoder.forEvents(ErasureRequest.class, ERASURE_REQUESTS_TYPE)
                                .registry(kafka.registry()).job(job).build()));
    }
}
