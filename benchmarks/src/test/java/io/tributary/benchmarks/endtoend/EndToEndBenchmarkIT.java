package io.tributary.benchmarks.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.localstack.junit.LocalServersExtension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A smoke test that the end-to-end harness works: a few thousand records through every kind of
 * measurement, the Kafka Streams peer included. It checks that each one ran and saw its results,
 * never how fast. The ceilings are measured once, before the jobs ({@code --ceilings-once}): a second
 * round after them would only repeat the same four measurements; how runs are combined into the
 * median of a full run is {@code CeilingsTest}'s.
 */
@ExtendWith(LocalServersExtension.class)
class EndToEndBenchmarkIT {
    @Test
    void everyMeasurementRunsAndSeesItsResults(@TempDir Path dir) {
        EndToEndBenchmark benchmark = new EndToEndBenchmark();
        // C1 only: jobs that live seconds spent a third of their CPU in C2 here, and start sooner without it.
        int exit = new CommandLine(benchmark).execute("--quick", "--ceilings-once", "--records", "3000",
                "--latency-seconds", "3", "--warm-up-seconds", "2", "--max-offered-rate", "1000", "--work-dir", dir.toString(),
                "--job-jvm-options=-XX:TieredStopAtLevel=1");

        assertThat(exit).isZero();
        List<EndToEndBenchmark.Row> rows = benchmark.rows();
        assertThat(rows).extracting(EndToEndBenchmark.Row::what).containsExactly("Kafka copy (no Flink)",
                "Kafka copy (no Flink)", "Flink pass-through", "Flink keyed pass-through", "transactions-enrichment",
                "transactions-enrichment (Kafka Streams)", "fraud-detection", "warehouse-sink",
                "transactions-enrichment", "alert path (enrichment and fraud-detection)", "fraud alerts, low-latency");
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.results()).as(row.what()).isPositive();
            assertThat(row.note()).as(row.what()).doesNotContain("EXIT", "ONLY", "DIED");
        });
        // The ceilings, each measured once before the jobs.
        assertThat(rows.subList(0, 4)).extracting(EndToEndBenchmark.Row::results).containsOnly(3000L);
        assertThat(rows.subList(0, 4)).allSatisfy(row -> assertThat(row.note()).contains("measured once", "before the jobs"));
        // The job rows. Each ran in a JVM of its own, whose CPU and threads were sampled over its results.
        assertThat(rows.subList(2, 11)).allSatisfy(row -> {
            assertThat(row.peakRssMib()).as(row.what()).isPositive();
            assertThat(row.cpuMicrosPerResult()).as(row.what()).isPositive();
            assertThat(row.topThreads()).as(row.what()).matches(".+ [0-9]+%.*");
        });
        // The peer gave every result the Flink job gave: enriched, late and dead letters.
        assertThat(rows.get(5).results()).isEqualTo(rows.get(4).results());
        // One alert per enriched payment; the enrichment row also counts late events and dead letters.
        assertThat(rows.get(6).results()).isLessThanOrEqualTo(rows.get(4).results())
                .isGreaterThan(rows.get(4).results() * 9 / 10);
        // warehouse-sink kept every raw payment, enriched payment and alert ("ONLY" otherwise, above).
        assertThat(rows.get(7).results()).isGreaterThan(rows.get(6).results() * 2);
        for (EndToEndBenchmark.Row latency : List.of(rows.get(8), rows.get(10))) {
            for (double ms : latency.latencyMillis()) {
                assertThat(ms).as(latency.what()).isNotNaN().isPositive();
            }
        }
        // The alert path, both jobs together: at full speed (an alert for every enriched payment, at least once),
        // then an alert for every timed payment, and how long until the enriched payment was there.
        // (Its note says "ONLY" unless every payment its enrichment run enriched has an alert; that run may
        // judge a payment or two late that the first run enriched, so compare loosely with the first.)
        assertThat(rows.get(9).results()).isGreaterThan(rows.get(6).results() * 9 / 10);
        assertThat(rows.get(10).note()).contains("of which until the enriched payment is visible as written");
        // The plots, drawn into the work directory in a quick run.
        assertThat(dir.resolve("throughput.png")).isNotEmptyFile();
        assertThat(dir.resolve("latency-exactly-once-1s.png")).isNotEmptyFile();
        assertThat(dir.resolve("latency-alerts.png")).isNotEmptyFile();
    }
}
