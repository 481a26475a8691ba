package io.tributary.jobs.enrichment;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.events.EnrichedTransaction;
import io.tributary.localstack.KafkaBroker;
import io.tributary.localstack.LocalServers;
import io.tributary.localstack.SchemaRegistryServer;
import io.tributary.localstack.junit.LocalServersExtension;
import io.tributary.localstack.pipeline.PaymentEventGenerator;
import io.tributary.localstack.pipeline.TrafficWriter;
import io.tributary.serde.ConfluentAvroDeserializationSchema;
import io.tributary.testing.SetDifference;
import io.tributary.testing.TopicReader;
import io.tributary.testing.WrittenTraffic;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The job jar of the image ({@code target/tributary-job.jar}, see deploy-k8s/Dockerfile) runs the
 * enrichment job with nothing beside it but what the Flink image has in lib/ (this module's
 * provided dependencies): no class is missing from the jar, and none of Flink's is duplicated in it.
 */
@ExtendWith(LocalServersExtension.class)
class EnrichmentJobJarIT {
    private static final Path JOB_JAR = Path.of("target", "tributary-job.jar");
    private static final Path FLINK_CLASSPATH = Path.of("target", "flink-provided-classpath.txt");

    @Test
    void holdsTheJobsAndWhatTheFlinkImageLacksOnly() throws Exception {
        try (JarFile jar = new JarFile(JOB_JAR.toFile())) {
            for (String present : List.of("io/tributary/cli/Tributary.class",
                    "io/tributary/jobs/enrichment/TransactionsEnrichmentJob.class",
                    "io/tributary/state/JobConfiguration.class", "io/tributary/events/Transaction.class",
                    "org/apache/flink/connector/kafka/sink/KafkaSink.class",
                    "org/apache/flink/formats/avro/AvroSerializationSchema.class",
                    "org/apache/kafka/clients/producer/KafkaProducer.class", "org/apache/avro/Schema.class",
                    "picocli/CommandLine.class")) {
                assertThat(jar.getEntry(present)).as(present).isNotNull();
            }
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo("io.tributary.cli.Tributary");
            List<String> left = List.of("org/apache/flink/streaming/api/", "org/apache/flink/runtime/",
                    "org/apache/flink/api/common/", "org/apache/flink/connector/base/", "org/rocksdb/",
                    "org/apache/logging/log4j/", "org/slf4j/", "io/tributary/localstack/",
                    // The broker (Scala) and its metadata module; kafka-clients has org/apache/kafka/server too.
                    "kafka/server/", "org/apache/kafka/metadata/", "redis/embedded/", "io/zonky/");
            assertThat(jar.stream().map(e -> e.getName()).filter(name -> left.stream().anyMatch(name::startsWith))
                    .limit(5)).as("classes the image provides, or only the local run needs").isEmpty();
        }
    }

    @Test
    void runsTheEnrichmentJobOnFlinksClasspathAlone(KafkaBroker kafka, SchemaRegistryServer registry) throws Exception {
        EnrichmentItSetup setup = new EnrichmentItSetup("jobjar.", kafka, registry);
        Instant start = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.HOURS);
        PaymentEventGenerator generator = EnrichmentItSetup.trafficWithoutLateEvents(3, start);
        WrittenTraffic traffic = new WrittenTraffic();
        try (TrafficWriter writer = setup.trafficWriter()) {
            writer.writeReferenceData(generator.accounts(), generator.merchants(),
                    generator.fxRates(start, start.plus(Duration.ofHours(2))));
            traffic.write(writer, generator, 500);
        }
        Set<UUID> expected = traffic.expected;
        int rejected = traffic.rejected;
        Path work = Files.createTempDirectory("enrichment-job-jar");
        Path log = Path.of("target", "test-logs", "enrichment-job-jar.log");
        Files.createDirectories(log.getParent());

        Process job = startFromJobJar(setup, work, log);
        boolean ended = job.waitFor(3, TimeUnit.MINUTES);
        if (!ended) {
            job.destroyForcibly();
        }

        assertThat(ended).as("the job ended (it reads to the latest offsets); log: " + log.toAbsolutePath()).isTrue();
        assertThat(job.exitValue()).as("exit code; the job's log:%n%s", tail(log)).isZero();
        var deserializer = ConfluentAvroDeserializationSchema.forSpecific(EnrichedTransaction.class)
                .registry(setup.pipeline.registryConfig()).build();
        List<UUID> enriched = new ArrayList<>();
        for (var record : TopicReader.readCommitted(kafka.bootstrapServers(), setup.topic("enriched"))) {
            enriched.add(deserializer.deserialize(record.value()).getEventId());
        }
        assertThat(enriched).doesNotHaveDuplicates();
        assertThat(SetDifference.missing(expected, enriched)).as("unique events not enriched").isEmpty();
        assertThat(SetDifference.unexpected(expected, enriched)).as("enriched events not expected").isEmpty();
        assertThat(TopicReader.readCommitted(kafka.bootstrapServers(), setup.topic("dead-letters"))).hasSize(rejected);
    }

    /** {@code java -cp tributary-job.jar:<Flink's lib> io.tributary.cli.Tributary run ...}, as the image runs it. */
    private static Process startFromJobJar(EnrichmentItSetup setup, Path work, Path log) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                // The JDK opens Flink's own start-up scripts add on Java 17.
                "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
                "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
                "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.time=ALL-UNNAMED",
                "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                "-cp", JOB_JAR.toAbsolutePath() + File.pathSeparator + Files.readString(FLINK_CLASSPATH).strip(),
                "io.tributary.cli.Tributary", "run", "transactions-enrichment", "--local-dir", work.toString()));
        setup.options.put("tributary.kafka.stop-at-latest", "true");
        setup.options.put("tributary.kafka.starting-offsets", "EARLIEST");
        setup.options.forEach((key, value) -> {
            command.add("-D");
            command.add(key + "=" + value);
        });
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("TRIBUTARY_TOKENIZATION_KEY", Base64.getEncoder().encodeToString(key));
        Process process = builder.start();
        LocalServers.dieWithThisJvm(process);
        return process;
    }

    private static String tail(Path log) throws Exception {
        List<String> lines = Files.readAllLines(log);
        return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
