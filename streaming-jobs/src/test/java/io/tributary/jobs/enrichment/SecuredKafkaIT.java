package io.tributary.jobs.enrichment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.events.DeadLetter;
import io.tributary.events.EnrichedTransaction;
import io.tributary.jobs.common.JobEnvironments;
import io.tributary.jobs.common.JobSecrets;
import io.tributary.jobs.common.PreparedJob;
import io.tributary.jobs.common.internal.KafkaAccessCheck;
import io.tributary.localstack.SchemaRegistryServer;
import io.tributary.localstack.SecuredKafkaBroker;
import io.tributary.localstack.junit.LocalServersExtension;
import io.tributary.localstack.pipeline.GeneratedTransaction;
import io.tributary.localstack.pipeline.PaymentEventGenerator;
import io.tributary.localstack.pipeline.TrafficKind;
import io.tributary.localstack.pipeline.TrafficWriter;
import io.tributary.state.JobConfiguration;
import io.tributary.testing.FailureInjector;
import io.tributary.testing.PiiCanary;
import io.tributary.testing.Throttle;
import io.tributary.testing.TopicReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The enrichment job against Kafka secured as in production: SASL_SSL with SCRAM-SHA-512 to a
 * private CA, ACLs enforced, nothing allowed where no ACL is found. With exactly the ACLs the README
 * lists (read its inputs and group, write its outputs and its transactional ids by prefix) it
 * enriches every valid event once through a failure, read_committed; a principal without the write
 * ACLs is refused before the job starts, with one line naming what is missing, and nothing reaches
 * the outputs; one whose write ACL is revoked while it runs restarts until it is granted again and
 * loses nothing. The client secrets are never printed or logged.
 */
@ExtendWith(LocalServersExtension.class)
class SecuredKafkaIT {
    private static final String FAILURES = "secured-kafka";
    private static final String THROTTLE = "secured-kafka-revoked";
    private static final int RECORDS = 3_000;

    @Test
    void withItsAclsTheJobEnrichesEveryEventOnceThroughAFailure(SecuredKafkaBroker kafka, SchemaRegistryServer registry)
            throws Exception {
        String password = UUID.randomUUID().toString();
        EnrichmentItSetup setup = setUp("secured.", "enrichment", password, kafka, registry);
        List<GeneratedTransaction> input = writeInput(setup, kafka);
        TransactionsEnrichmentJob job = new TransactionsEnrichmentJob();
        EnrichmentSettings settings = setup.settings();
        grant(kafka, "enrichment", KafkaAccessCheck.required(job.footprint(settings)), p -> false);

        KafkaAccessCheck.verify(job.footprint(settings));
        StreamExecutionEnvironment env = JobEnvironments.create(TransactionsEnrichmentJob.NAME, setup.configuration(),
                Files.createTempDirectory("secured-kafka"));
        TransactionsEnrichmentJob.build(env, settings.parameters(), settings.quality(), EnrichmentSources.kafka(settings),
                EnrichmentSinks.kafka(settings),
                stream -> FailureInjector.addSlowlyTo(stream, EnrichedTransaction.class, FAILURES, 1));
        env.execute(TransactionsEnrichmentJob.NAME);

        assertThat(FailureInjector.injected(FAILURES)).isEqualTo(1);
        assertEveryEventOnce(setup, kafka, input);

        // What `tributary run` prints at start-up masks the JAAS line and the trust store's password.
        List<String> startUp = JobConfiguration.resolve(null, setup.options, EnrichmentOptions.all()).describe();
        assertThat(startUp).contains("tributary.kafka.client-properties.sasl.jaas.config = ******  [command line]",
                "tributary.kafka.client-properties.ssl.truststore.password = ******  [command line]");
        String trustStorePassword = kafka.clientSecurity("enrichment", password).get("ssl.truststore.password");
        assertThat(String.join("\n", startUp)).doesNotContain(password).doesNotContain(trustStorePassword);
        // Nor do the Kafka clients, Flink or the job log them.
        String log = Files.readString(PiiCanary.IT_LOG, StandardCharsets.ISO_8859_1);
        assertThat(log).contains("SASL_SSL").doesNotContain(password).doesNotContain(trustStorePassword);
    }

    @Test
    void withoutItsWriteAclsTheJobIsRefusedBeforeItStartsAndWritesNothing(SecuredKafkaBroker kafka,
            SchemaRegistryServer registry) throws Exception {
        EnrichmentItSetup setup = setUp("refused.", "refused-enrichment", "refused-secret", kafka, registry);
        writeInput(setup, kafka);
        TransactionsEnrichmentJob job = new TransactionsEnrichmentJob();
        String enrichedTopic = setup.topic("enriched");
        grant(kafka, "refused-enrichment", KafkaAccessCheck.required(job.footprint(setup.settings())),
                p -> p.name().equals(enrichedTopic) || p.type() == ResourceType.TRANSACTIONAL_ID);

        JobConfiguration resolved = JobConfiguration.resolve(null, setup.options, job.options());
        assertThatThrownBy(() -> PreparedJob.prepare(job, resolved, JobSecrets.withInlineKey(setup.key, Map.of()),
                Files.createTempDirectory("secured-kafka-refused")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Kafka denies this job's principal WRITE on topic '" + enrichedTopic + "', WRITE on"
                        + " transactional-id '" + setup.prefix + "enrichment' (prefixed): grant these ACLs to the job's"
                        + " user (see 'Kafka security' in the README)");

        var admin = kafka.asAdmin().clientProperties();
        for (String output : List.of("enriched", "late", "dead-letters")) {
            assertThat(TopicReader.readCommitted(admin, setup.topic(output))).as(output).isEmpty();
        }
    }

    /**
     * An operator revokes the job's WRITE on its enriched topic while it runs, after a checkpoint
     * committed output: the job fails on Kafka's authorization error and restarts in a loop, writing
     * nothing, until the ACL is granted again; then it goes on from its last checkpoint and every
     * valid event comes out once. A restart loop is what Flink's restart strategy does with a
     * failure it cannot tell from a transient one; the loss it must not cause is what is checked.
     */
    @Test
    void aWriteAclRevokedWhileTheJobRunsStopsItUntilGrantedAgainAndLosesNothing(SecuredKafkaBroker kafka,
            SchemaRegistryServer registry) throws Exception {
        EnrichmentItSetup setup = setUp("revoked.", "revoked-enrichment", UUID.randomUUID().toString(), kafka, registry);
        List<GeneratedTransaction> input = writeInput(setup, kafka);
        TransactionsEnrichmentJob job = new TransactionsEnrichmentJob();
        EnrichmentSettings settings = setup.settings();
        String enrichedTopic = setup.topic("enriched");
        List<KafkaAccessCheck.Permission> required = KafkaAccessCheck.required(job.footprint(settings));
        grant(kafka, "revoked-enrichment", required, p -> false);
        List<AclBinding> writeEnriched = bindings("revoked-enrichment", required,
                p -> p.name().equals(enrichedTopic) && p.operation() == AclOperation.WRITE);
        assertThat(writeEnriched).hasSize(1);

        StreamExecutionEnvironment env = JobEnvironments.create(TransactionsEnrichmentJob.NAME, setup.configuration(),
                Files.createTempDirectory("secured-kafka-revoked"));
        // 5 ms a record: the 3,000 records take long enough for the ACL to change under the running job.
        TransactionsEnrichmentJob.build(env, settings.parameters(), settings.quality(), EnrichmentSources.kafka(settings),
                EnrichmentSinks.kafka(settings), stream -> Throttle.addTo(stream, EnrichedTransaction.class, THROTTLE, 5));
        JobClient running = env.executeAsync(TransactionsEnrichmentJob.NAME);
        var admin = kafka.asAdmin().clientProperties();
        await("committed output", () -> !TopicReader.readCommitted(admin, enrichedTopic).isEmpty());
        int openedBefore = Throttle.opened(THROTTLE);
        kafka.revoke(writeEnriched);
        // Two restarts at least (each re-opens both subtasks): a loop, not a single retry that happened to pass.
        await("two restarts", () -> Throttle.opened(THROTTLE) >= openedBefore + 4);
        assertThat(running.getJobStatus().get()).isNotIn(JobStatus.FINISHED, JobStatus.FAILED);
        kafka.allow(writeEnriched);
        running.getJobExecutionResult().get(3, TimeUnit.MINUTES);

        assertEveryEventOnce(setup, kafka, input);
        String log = Files.readString(PiiCanary.IT_LOG, StandardCharsets.ISO_8859_1);
        assertThat(log).contains("TopicAuthorizationException: Not authorized to access topics: [" + enrichedTopic + "]");
    }

    /**
     * Every valid event of {@code input} once on the enriched topic and every rejected one as a dead
     * letter, read_committed; duplicates dropped; nothing else.
     */
    private static void assertEveryEventOnce(EnrichmentItSetup setup, SecuredKafkaBroker kafka,
            List<GeneratedTransaction> input) throws IOException {
        var admin = kafka.asAdmin().clientProperties();
        List<UUID> enriched = TopicReader.decode(TopicReader.readCommitted(admin, setup.topic("enriched")),
                EnrichedTransaction.class, setup.pipeline.registryConfig()).stream().map(EnrichedTransaction::getEventId)
                .toList();
        List<DeadLetter> deadLetters = TopicReader.decode(TopicReader.readCommitted(admin, setup.topic("dead-letters")),
                DeadLetter.class, setup.pipeline.registryConfig());
        assertThat(enriched).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(ids(input, k -> k == TrafficKind.VALID || k == TrafficKind.OUT_OF_ORDER));
        assertThat(deadLetters).hasSize((int) input.stream().filter(g -> g.kind().rejected()).count()).isNotEmpty();
        long duplicates = input.stream().filter(g -> g.kind() == TrafficKind.DUPLICATE).count();
        assertThat(enriched.size() + deadLetters.size() + duplicates).isEqualTo(RECORDS);
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " not seen within a minute");
            }
            Thread.sleep(200);
        }
    }

    /** The job's topics, its user and settings on the secured broker; ACLs are granted by each test. */
    private static EnrichmentItSetup setUp(String prefix, String user, String password, SecuredKafkaBroker kafka,
            SchemaRegistryServer registry) throws Exception {
        EnrichmentItSetup setup = new EnrichmentItSetup(prefix, kafka.asAdmin(), registry);
        setup.options.put("tributary.kafka.stop-at-latest", "true");
        kafka.createUser(user, password);
        kafka.clientSecurity(user, password)
                .forEach((key, value) -> setup.options.put("tributary.kafka.client-properties." + key, value));
        return setup;
    }

    private static List<GeneratedTransaction> writeInput(EnrichmentItSetup setup, SecuredKafkaBroker kafka) {
        Instant start = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.HOURS);
        PaymentEventGenerator generator = EnrichmentItSetup.trafficWithoutLateEvents(14, start);
        List<GeneratedTransaction> input = new ArrayList<>();
        try (TrafficWriter writer = new TrafficWriter(kafka.asAdmin().clientProperties(), setup.pipeline.registryConfig(),
                setup.prefix)) {
            writer.writeReferenceData(generator.accounts(), generator.merchants(),
                    generator.fxRates(start, start.plus(Duration.ofHours(1))));
            for (int i = 0; i < RECORDS; i++) {
                GeneratedTransaction g = generator.next();
                input.add(g);
                writer.write(g);
            }
            writer.flush();
        }
        return input;
    }

    /** Grants {@code user} the permissions, except those {@code withheld}. */
    private static void grant(SecuredKafkaBroker kafka, String user, List<KafkaAccessCheck.Permission> permissions,
            Predicate<KafkaAccessCheck.Permission> withheld) {
        kafka.allow(bindings(user, permissions, withheld.negate()));
    }

    /** The ACLs that allow {@code user} those of {@code permissions} that {@code which} accepts. */
    private static List<AclBinding> bindings(String user, List<KafkaAccessCheck.Permission> permissions,
            Predicate<KafkaAccessCheck.Permission> which) {
        return permissions.stream().filter(which)
                .map(p -> new AclBinding(new ResourcePattern(p.type(), p.name(), p.pattern()),
                        new AccessControlEntry("User:" + user, "*", p.operation(), AclPermissionType.ALLOW)))
                .toList();
    }

    private static Set<UUID> ids(List<GeneratedTransaction> input, Predicate<TrafficKind> kind) {
        return input.stream().filter(g -> kind.test(g.kind())).map(g -> g.transaction().getEventId())
                .collect(Collectors.toSet());
    }
}
