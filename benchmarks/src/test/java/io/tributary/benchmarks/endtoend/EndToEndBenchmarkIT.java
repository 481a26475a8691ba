package io.tributary.benchmarks.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.localstack.junit.LocalServersExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A smoke test that the end-to-end harness works: a few thousand records through every kind of
 * measurement. It checks that each one ran and saw its results, never how fast.
 */
@ExtendWith(LocalServersExtension.class)
class EndToEndBenchmarkIT {
    @Test
    void everyMeasurementRunsAndSeesItsResults(@TempDir Path dir) {
        EndToEndBenchmark benchmark = new EndToEndBenchmark();
        int exit = new CommandLine(benchmark).execute("--quick", "--records", "3000", "--latency-seconds", "3",
                "--work-dir", dir.toString());

        assertThat(exit).isZero();
        assertThat(benchmark.rows()).hasSize(7);
        assertThat(benchmark.rows()).allSatisfy(row -> {
            assertThat(row.results()).as(row.what()).isPositive();
            assertThat(row.note()).as(row.what()).doesNotContain("EXIT", "ONLY", "DIED");
        });
        assertThat(benchmark.rows().subList(0, 3)).extracting(EndToEndBenchmark.Row::results).containsOnly(3000L);
        // The job rows: pass-through, enrichment at full speed, fraud-detection, warehouse-sink, enrichment
        // latency. Each ran in a JVM of its own.
        assertThat(benchmark.rows().subList(2, 7)).allSatisfy(row -> {
            assertThat(row.peakRssMib()).as(row.what()).isPositive();
            assertThat(row.cpuMicrosPerResult()).as(row.what()).isPositive();
        });
        // One alert per enriched payment; the enrichment row also counts late events and dead letters.
        assertThat(benchmark.rows().get(4).results()).isLessThanOrEqualTo(benchmark.rows().get(3).results())
                .isGreaterThan(benchmark.rows().get(3).results() * 9 / 10);
        // warehouse-sink kept every raw payment, enriched payment and alert ("ONLY" otherwise, above).
        assertThat(benchmark.rows().get(5).what()).isEqualTo("warehouse-sink");
        assertThat(benchmark.rows().get(5).results()).isGreaterThan(benchmark.rows().get(4).results() * 2);
        for (double latency : benchmark.rows().get(6).latencyMillis()) {
            assertThat(latency).isNotNaN().isPositive();
        }
    }
}
