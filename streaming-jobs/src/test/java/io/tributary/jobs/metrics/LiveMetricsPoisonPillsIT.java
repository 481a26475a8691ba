package io.tributary.jobs.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.contracts.RejectionReason;
import io.tributary.contracts.TopicContract;
import io.tributary.events.DeadLetter;
import io.tributary.events.TransactionStatus;
import io.tributary.localstack.KafkaBroker;
import io.tributary.localstack.PostgresServer;
import io.tributary.localstack.SchemaRegistryServer;
import io.tributary.localstack.junit.LocalServersExtension;
import io.tributary.localstack.pipeline.LocalPipeline;
import io.tributary.localstack.pipeline.TributaryTopics;
import io.tributary.testing.DownstreamTopicsWriter;
import io.tributary.testing.JobStops;
import io.tributary.testing.MinuteRows;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Poison pills on live-metrics' input, as a faulty or hostile producer would write them to the
 * enriched topic between valid payments: bytes without the Confluent magic byte, a record cut short,
 * and a 12-byte record with a real schema id that declares a 1.5 GB string. With restarts off, each
 * must become one dead letter with its bytes and a decode reason, the valid payments their minute
 * row, and the job must go on: no out-of-memory error, no failure.
 */
@ExtendWith(LocalServersExtension.class)
class LiveMetricsPoisonPillsIT {
    private static final String PREFIX = "poisonit-metrics.";
    private static final long MINUTE = 60_000;
    private static final String DATABASE = "poison_pills_it";

    private final long minute = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.HOURS).toEpochMilli();

    @Test
    void poisonPillsBecomeDeadLettersAndTheJobGoesOn(KafkaBroker kafka, SchemaRegistryServer registry,
            PostgresServer postgres, @TempDir Path work) throws Exception {
        LocalPipeline pipeline = LocalPipeline.prepare(kafka, registry);
        kafka.createTopics(TributaryTopics.newTopics(PREFIX));
        JobClient job = LiveMetricsItJob.start(kafka, registry, postgres, PREFIX, DATABASE, work);
        DataSource database = postgres.dataSource(DATABASE);

        byte[] wrongMagic = {0x7F, 0, 0, 0, 1, 2, 3, 4};
        byte[] cutShort;
        byte[] hugeString;
        try (DownstreamTopicsWriter writer = new DownstreamTopicsWriter(kafka.bootstrapServers(),
                pipeline.registryConfig(), PREFIX)) {
            byte[] valid = writer.framed(AlertAttributionTest.payment("first", minute + 500, "5411", "DE", "12.50",
                    TransactionStatus.AUTHORIZED));
            cutShort = Arrays.copyOf(valid, 12);
            hugeString = hugeStringAfterHeader(Arrays.copyOf(valid, 5));
            writer.payment(AlertAttributionTest.payment("first", minute + 500, "5411", "DE", "12.50",
                    TransactionStatus.AUTHORIZED));
            writer.raw(TopicContract.ENRICHED_TRANSACTIONS, "acc-1", wrongMagic);
            writer.raw(TopicContract.ENRICHED_TRANSACTIONS, "acc-1", cutShort);
            writer.raw(TopicContract.ENRICHED_TRANSACTIONS, "acc-1", hugeString);
            writer.payment(AlertAttributionTest.payment("second", minute + 2_000, "5411", "DE", "7.25",
                    TransactionStatus.DECLINED));
            writer.flush();
            // The minute closes once a later payment moves the watermark, after the quiet partitions went idle.
            Thread.sleep(LiveMetricsItJob.IDLENESS.multipliedBy(2).toMillis());
            writer.payment(AlertAttributionTest.payment("tail", minute + 10 * MINUTE, "5411", "DE", "1.00",
                    TransactionStatus.AUTHORIZED));
            writer.flush();
        }
        List<DeadLetter> deadLetters;
        try {
            List<String> expected = List.of(minute + " 5411 DE 2 19.7500 1 0");
            MinuteRows.await(database, expected);
            deadLetters = LiveMetricsItJob.awaitDeadLetters(kafka, pipeline.registryConfig(), PREFIX, 3);

            assertThat(MinuteRows.read(database)).isEqualTo(expected);
            assertThat(job.getJobStatus().get()).as("the job goes on").isEqualTo(JobStatus.RUNNING);
        } finally {
            JobStops.cancelUnlessEnded(job);
        }
        assertThat(deadLetters).allSatisfy(d -> {
            assertThat(d.getJob()).isEqualTo(LiveMetricsJob.NAME);
            assertThat(d.getSourceTopic()).isEqualTo(PREFIX + TopicContract.ENRICHED_TRANSACTIONS.topic());
        });
        assertThat(deadLetters).extracting(LiveMetricsPoisonPillsIT::originalBytes)
                .containsExactlyInAnyOrder(wrongMagic, cutShort, hugeString);
        assertThat(deadLetters).filteredOn(d -> Arrays.equals(originalBytes(d), wrongMagic))
                .singleElement().satisfies(d -> assertThat(d.getReason())
                        .isEqualTo(RejectionReason.DECODE_WRONG_MAGIC_BYTE.name()));
        assertThat(deadLetters).filteredOn(d -> !Arrays.equals(originalBytes(d), wrongMagic))
                .allSatisfy(d -> assertThat(d.getReason()).startsWith("DECODE_"));
    }

    private static byte[] originalBytes(DeadLetter d) {
        byte[] bytes = new byte[d.getOriginalValue().remaining()];
        d.getOriginalValue().duplicate().get(bytes);
        return bytes;
    }

    /** A real schema id, then a string length of 1.5 GB (Avro's zig-zag varint) and nothing else. */
    private static byte[] hugeStringAfterHeader(byte[] header) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header);
        long zigZag = 1_500_000_000L << 1;
        while ((zigZag & ~0x7FL) != 0) {
            out.write((int) ((zigZag & 0x7F) | 0x80));
            zigZag >>>= 7;
        }
        out.write((int) zigZag);
        return out.toByteArray();
    }
}
