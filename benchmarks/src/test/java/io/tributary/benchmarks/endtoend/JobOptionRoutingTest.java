package io.tributary.benchmarks.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.jobs.enrichment.TransactionsEnrichmentJob;
import io.tributary.jobs.fraud.FraudDetectionJob;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobOptionRoutingTest {
    private final Map<String, String> options = new LinkedHashMap<>(Map.of(
            "taskmanager.memory.managed.size", "512m",
            "tributary.enrichment.allowed-lateness", "2m",
            "streams.statestore.cache.max.bytes", "0"));
    private final JobOptionRouting routing = new JobOptionRouting(options);

    @Test
    void aFlinkOptionGoesToEveryFlinkJobAndATributaryOneOnlyToThoseThatReadIt() {
        assertThat(routing.forFlinkJob(new TransactionsEnrichmentJob().options())).containsOnlyKeys(
                "taskmanager.memory.managed.size", "tributary.enrichment.allowed-lateness");
        assertThat(routing.forFlinkJob(new FraudDetectionJob().options())).containsOnlyKeys(
                "taskmanager.memory.managed.size");
        assertThat(routing.forFlinkJob(PassThroughJob.KNOWN_OPTIONS)).containsOnlyKeys(
                "taskmanager.memory.managed.size");
    }

    @Test
    void thePeerGetsItsOwnAndTheEnrichmentsOptions() {
        assertThat(routing.forKafkaStreams()).containsOnlyKeys("tributary.enrichment.allowed-lateness",
                "streams.statestore.cache.max.bytes");
    }
}
