package io.tributary.jobs.enrichment;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.events.EnrichedTransaction;
import io.tributary.localstack.KafkaBroker;
import io.tributary.localstack.SchemaRegistryServer;
import io.tributary.localstack.flink.FlinkProcessCluster;
import io.tributary.localstack.junit.LocalServersExtension;
import io.tributary.localstack.pipeline.PaymentEventGenerator;
import io.tributary.localstack.pipeline.TrafficWriter;
import io.tributary.serde.ConfluentAvroDeserializationSchema;
import io.tributary.testing.SetDifference;
import io.tributary.testing.TopicReader;
import io.tributary.testing.WrittenTraffic;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job jar in a real Flink cluster in application mode, the way the Kubernetes operator runs it:
 * a JobManager and a TaskManager in processes of their own, the FlinkDeployment's entry class and
 * arguments, submitted detached ({@code execution.attached: false}). The job must still be
 * RUNNING, with its JobManager alive, 30 s after it started, and its output must reach a
 * read_committed consumer. With {@code io.tributary.cli.Tributary} as the entry class (whose
 * {@code main} ends in {@code System.exit}) this fails: the JobManager exits once the job is
 * submitted ({@code -Dtributary.it.entry-class=io.tributary.cli.Tributary} shows it).
 */
@ExtendWith(LocalServersExtension.class)
class ApplicationClusterIT {
    private static final Path JOB_JAR = Path.of("target", "tributary-job.jar");
    private static final String ENTRY_CLASS = System.getProperty("tributary.it.entry-class", "io.tributary.cli.ApplicationMain");

    @Test
    void runsDetachedInApplicationModeAndDeliversExactlyOnce(KafkaBroker kafka, SchemaRegistryServer registry,
            @TempDir Path work) throws Exception {
        EnrichmentItSetup setup = new EnrichmentItSetup("appmode.", kafka, registry);
        Instant start = Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.HOURS);
        PaymentEventGenerator generator = EnrichmentItSetup.trafficWithoutLateEvents(5, start);
        // The job runs unbounded: the events of the last seconds of event time wait for the watermark.
        // Later traffic, an hour on, moves it while the test waits for the first batch.
        PaymentEventGenerator later = EnrichmentItSetup.trafficWithoutLateEvents(6, start.plus(Duration.ofHours(1)));
        WrittenTraffic first = new WrittenTraffic();
        WrittenTraffic pushing = new WrittenTraffic();
        try (TrafficWriter writer = setup.trafficWriter()) {
            writer.writeReferenceData(generator.accounts(), generator.merchants(),
                    generator.fxRates(start, start.plus(Duration.ofHours(3))));
            first.write(writer, generator, 300);
            // As the base FlinkDeployment gives them: the job's own settings are program arguments.
            List<String> args = new ArrayList<>(List.of("run", TransactionsEnrichmentJob.NAME, "--profile", "production"));
            setup.options.put("execution.checkpointing.dir", work.resolve("checkpoints").toUri().toString());
            setup.options.forEach((key, value) -> args.add("-D" + key + "=" + value));

            try (FlinkProcessCluster cluster = FlinkProcessCluster.startApplication("application-cluster", work, JOB_JAR,
                    ENTRY_CLASS, Map.of("execution.attached", "false", "parallelism.default", "2"),
                    Map.of("TRIBUTARY_TOKENIZATION_KEY", freshKey()), args)) {
                cluster.awaitRunning(TransactionsEnrichmentJob.NAME, Duration.ofMinutes(2));
                long runningSince = System.nanoTime();

                long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                List<UUID> enriched = readEnriched(kafka, setup);
                while (!enriched.containsAll(first.expected) && System.nanoTime() < deadline) {
                    pushing.write(writer, later, 20);
                    Thread.sleep(1000);
                    enriched = readEnriched(kafka, setup);
                }
                long left = Duration.ofSeconds(30).toNanos() - (System.nanoTime() - runningSince);
                if (left > 0) {
                    Thread.sleep(left / 1_000_000);
                }

                assertThat(cluster.jobManagerAlive()).as("the JobManager still runs; its log ends:%n%s", cluster.logTail())
                        .isTrue();
                assertThat(cluster.jobStates()).as("30 s after the job started")
                        .containsEntry(TransactionsEnrichmentJob.NAME, "RUNNING");
                enriched = readEnriched(kafka, setup);
                assertThat(enriched).doesNotHaveDuplicates();
                assertThat(SetDifference.missing(first.expected, enriched)).as("unique events not enriched").isEmpty();
                Set<UUID> written = new HashSet<>(first.expected);
                written.addAll(pushing.expected);
                assertThat(SetDifference.unexpected(written, enriched)).as("enriched events not written").isEmpty();
                assertThat(TopicReader.readCommitted(kafka.bootstrapServers(), setup.topic("dead-letters")).size())
                        .as("dead letters").isBetween(first.rejected, first.rejected + pushing.rejected);
            }
        }
    }

    private static String freshKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** The event ids in the enriched topic, as a read_committed consumer sees them now. */
    private static List<UUID> readEnriched(KafkaBroker kafka, EnrichmentItSetup setup) throws Exception {
        var deserializer = ConfluentAvroDeserializationSchema.forSpecific(EnrichedTransaction.class)
                .registry(setup.pipeline.registryConfig()).build();
        List<UUID> enriched = new ArrayList<>();
        for (var record : TopicReader.readCommitted(kafka.bootstrapServers(), setup.topic("enriched"))) {
            enriched.add(deserializer.deserialize(record.value()).getEventId());
        }
        return enriched;
    }
}
