package io.tributary.benchmarks.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CeilingsTest {
    private static EndToEndBenchmark.Row run(double perSecond, double secondHalf, long peakRssMib, double cpu,
            String threads, String note) {
        return new EndToEndBenchmark.Row("Flink pass-through", "exactly once", "1s", "max", 0, 3000, perSecond, secondHalf,
                null, peakRssMib, cpu, threads, note);
    }

    @Test
    void aFullRunReportsTheMedianOfTheRunsBeforeAndAfterTheJobsAndEveryRunsRate() {
        EndToEndBenchmark.Row median = Ceilings.median(List.of(
                run(100_000, 120_000, 350, 10, "C2 CompilerThre 40%", "read, write; before the jobs"),
                run(300_000, 320_000, 380, 6, "Source: source 30%", "read, write; after the jobs")));

        assertThat(median.perSecond()).isEqualTo(200_000);
        assertThat(median.secondHalfPerSecond()).isEqualTo(220_000);
        assertThat(median.cpuMicrosPerResult()).isEqualTo(8);
        assertThat(median.peakRssMib()).isEqualTo(380);
        assertThat(median.topThreads()).isEqualTo("Source: source 30%");
        assertThat(median.note()).isEqualTo("median of 2 runs (100,000, 300,000/s, before and after the jobs)");
    }

    @Test
    void aCeilingMeasuredOnceSaysSo() {
        EndToEndBenchmark.Row once = Ceilings.median(List.of(run(100_000, 0, 0, 0, "-", "one consumer; before the jobs")));

        assertThat(once.perSecond()).isEqualTo(100_000);
        assertThat(once.note()).isEqualTo("measured once (100,000/s, before the jobs)");
    }

    @Test
    void aFailedRunShowsInsteadOfTheMedian() {
        EndToEndBenchmark.Row median = Ceilings.median(List.of(run(100_000, 0, 0, 0, "-", "read, write; before the jobs"),
                run(0, 0, 0, 0, "-", "EXIT 1, see /tmp/x")));

        assertThat(median.note()).isEqualTo("EXIT 1, see /tmp/x");
    }
}
