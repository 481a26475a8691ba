package io.tributary.benchmarks.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessCpuTest {
    private static ProcessCpu.Sample sample(long atNanos, long processTicks,
            Map<Integer, ProcessCpu.ThreadTicks> threads) {
        return new ProcessCpu.Sample(atNanos, processTicks, threads);
    }

    @Test
    void takesTheCpuOfTheWindowOnlyAndNamesTheBusiestThreadGroups() {
        List<ProcessCpu.Sample> samples = List.of(
                sample(1_000, 500, Map.of(1, new ProcessCpu.ThreadTicks("C2 CompilerThre", 400))),
                sample(2_000, 600, Map.of(1, new ProcessCpu.ThreadTicks("C2 CompilerThre", 450),
                        2, new ProcessCpu.ThreadTicks("GC Thread", 10), 3, new ProcessCpu.ThreadTicks("GC Thread", 10),
                        4, new ProcessCpu.ThreadTicks("enricher", 30))),
                sample(3_000, 900, Map.of(1, new ProcessCpu.ThreadTicks("C2 CompilerThre", 470),
                        2, new ProcessCpu.ThreadTicks("GC Thread", 40), 3, new ProcessCpu.ThreadTicks("GC Thread", 40),
                        4, new ProcessCpu.ThreadTicks("enricher", 230))));

        ProcessCpu.Window window = ProcessCpu.between(samples, 2_000, 3_000, 2);

        // Start-up (the first 500 ticks) and the first second are outside the window: 300 ticks of 10 ms.
        assertThat(window.cpu()).isEqualTo(Duration.ofSeconds(3));
        assertThat(window.topThreadsText()).isEqualTo("enricher 67%, GC Thread 20%");
    }

    /** The harness stops a job right after its last result: its task threads may be gone by the last sample. */
    @Test
    void countsAThreadThatEndedInTheWindowWithItsLastReading() {
        List<ProcessCpu.Sample> samples = List.of(
                sample(1_000, 100, Map.of(1, new ProcessCpu.ThreadTicks("account feature", 10),
                        2, new ProcessCpu.ThreadTicks("rocksdb:low", 5))),
                sample(2_000, 300, Map.of(1, new ProcessCpu.ThreadTicks("account feature", 160),
                        2, new ProcessCpu.ThreadTicks("rocksdb:low", 45))),
                sample(3_000, 320, Map.of(2, new ProcessCpu.ThreadTicks("rocksdb:low", 60))));

        ProcessCpu.Window window = ProcessCpu.between(samples, 1_000, 3_000, 2);

        assertThat(window.topThreadsText()).isEqualTo("account feature 68%, rocksdb:low 25%");
    }

    @Test
    void widensAWindowShorterThanTheSamplingIntervalToTheSamplesAroundIt() {
        List<ProcessCpu.Sample> samples = List.of(sample(1_000, 100, Map.of()), sample(2_000, 150, Map.of()),
                sample(3_000, 170, Map.of()));

        assertThat(ProcessCpu.between(samples, 2_400, 2_500, 3).cpu()).isEqualTo(Duration.ofMillis(200));
        // After the last sample (a job that ended right after its last result): the last two samples.
        assertThat(ProcessCpu.between(samples, 3_500, 3_600, 3).cpu()).isEqualTo(Duration.ofMillis(200));
        assertThat(ProcessCpu.between(samples, 0, 2_500, 3)).isEqualTo(ProcessCpu.Window.NONE);
    }

    @Test
    void groupsThreadsByNameWithoutTheirNumber() {
        assertThat(ProcessCpu.threadGroup("GC Thread#1")).isEqualTo("GC Thread");
        assertThat(ProcessCpu.threadGroup("kafka-producer-")).isEqualTo("kafka-producer");
        assertThat(ProcessCpu.threadGroup("C2 CompilerThre")).isEqualTo("C2 CompilerThre");
        assertThat(ProcessCpu.threadGroup("ks-StreamThread")).isEqualTo("ks-StreamThread");
    }

    @Test
    void readsThisProcess() {
        ProcessCpu.Sample sample = ProcessCpu.sample(ProcessHandle.current().pid());

        assertThat(sample).isNotNull();
        assertThat(sample.threads()).isNotEmpty();
    }
}
