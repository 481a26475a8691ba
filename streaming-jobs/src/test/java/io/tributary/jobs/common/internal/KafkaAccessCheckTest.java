package io.tributary.jobs.common.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.jobs.common.JobFootprint;
import io.tributary.jobs.common.internal.KafkaAccessCheck.Permission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/** What a job's principal must be allowed, and how a refusal reads; Kafka's answers are in SecuredKafkaIT. */
class KafkaAccessCheckTest {
    private static final JobFootprint ENRICHMENT = new JobFootprint(true, "enrichment", "tributary-enrichment",
            "kafka:9093", List.of("payments", "fx"), List.of("enriched", "dlq"), Map.of(), List.of(), List.of());

    @Test
    void aJobNeedsReadOnItsInputsAndGroupWriteOnItsOutputsAndItsTransactionalIdPrefix() {
        assertThat(KafkaAccessCheck.required(ENRICHMENT)).map(Permission::toString).containsExactly(
                "READ on topic 'payments'", "READ on topic 'fx'", "WRITE on topic 'enriched'", "WRITE on topic 'dlq'",
                "READ on group 'enrichment'", "WRITE on transactional-id 'tributary-enrichment' (prefixed)");
        assertThat(KafkaAccessCheck.required(ENRICHMENT)).last().extracting(Permission::pattern)
                .isEqualTo(PatternType.PREFIXED);
    }

    @Test
    void aJobThatWritesNoTopicNeedsNoTransactionalIds() {
        JobFootprint reader = new JobFootprint(true, "metrics", "unused", "kafka:9093", List.of("enriched"), List.of(),
                Map.of(), List.of(), List.of());

        assertThat(KafkaAccessCheck.required(reader)).extracting(Permission::type)
                .containsExactly(ResourceType.TOPIC, ResourceType.GROUP);
    }

    @Test
    void anOperationIsGrantedByItselfOrByAllAndUnknownAnswersAreNotHeldAgainstTheJob() {
        Permission write = new Permission(AclOperation.WRITE, ResourceType.TOPIC, "enriched", PatternType.LITERAL);
        List<Permission> missing = new ArrayList<>();

        KafkaAccessCheck.check(write, Set.of(AclOperation.WRITE, AclOperation.DESCRIBE), missing);
        KafkaAccessCheck.check(write, Set.of(AclOperation.ALL), missing);
        KafkaAccessCheck.check(write, null, missing);
        assertThat(missing).isEmpty();

        KafkaAccessCheck.check(write, Set.of(AclOperation.READ, AclOperation.DESCRIBE), missing);
        KafkaAccessCheck.check(write, Set.of(), missing); // DESCRIBE denied: Kafka hides the topic
        assertThat(missing).containsExactly(write, write);
    }

    @Test
    void theRefusalIsOneLineNamingEachMissingPermission() {
        String line = KafkaAccessCheck.refusal(List.of(
                new Permission(AclOperation.WRITE, ResourceType.TOPIC, "enriched", PatternType.LITERAL),
                new Permission(AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, "tributary-enrichment", PatternType.PREFIXED)));

        assertThat(line).doesNotContain("\n").startsWith("Kafka denies this job's principal WRITE on topic 'enriched',"
                + " WRITE on transactional-id 'tributary-enrichment' (prefixed): grant");
    }
}
