package io.tributary.jobs.enrichment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.jobs.common.JobEnvironments;
import io.tributary.state.JobConfiguration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class EnrichmentSettingsTest {
    private static final Map<String, String> ENVIRONMENT =
            Map.of("TRIBUTARY_TOKENIZATION_KEY", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");

    private static Configuration configuration(Map<String, String> extra) {
        Map<String, String> options = new HashMap<>(Map.of(
                "tributary.kafka.bootstrap-servers", "localhost:9092",
                "tributary.registry.url", "http://localhost:8081"));
        options.putAll(extra);
        return JobConfiguration.resolve(null, options, EnrichmentOptions.all()).configuration();
    }

    @Test
    void readsTheDefaultsOfTheJob() {
        EnrichmentSettings settings = EnrichmentSettings.from(configuration(Map.of()), ENVIRONMENT);

        assertThat(settings.kafka().groupId()).isEqualTo("transactions-enrichment");
        assertThat(settings.topics().transactions()).isEqualTo("payments.transactions.v1");
        assertThat(settings.parameters().dedupTtl()).isEqualTo(Duration.ofHours(24));
        assertThat(settings.delivery().transactionTimeout()).isLessThanOrEqualTo(Duration.ofMinutes(15));
        assertThat(settings.tokenizationKeyId()).hasSize(8);
    }

    @Test
    void theSinkTransactionTimeoutMustFitTheBrokerAndOutliveACheckpointPlusARestart() {
        assertThatThrownBy(() -> EnrichmentSettings.from(
                configuration(Map.of("tributary.kafka.transaction-timeout", "1 h")), ENVIRONMENT))
                .hasMessageContaining("exceeds the broker's default transaction.max.timeout.ms of 15 min");
        assertThatThrownBy(() -> EnrichmentSettings.from(configuration(Map.of(
                        "tributary.state.profile", "production", "tributary.kafka.transaction-timeout", "6 min")),
                ENVIRONMENT))
                .hasMessageContaining("must exceed the longest time a checkpoint's transaction can stay uncommitted");
    }

    @Test
    void productionNeedsACheckpointDirectoryAndLocalHasOne() {
        assertThatThrownBy(() -> JobEnvironments.create("job",
                configuration(Map.of("tributary.state.profile", "production")), Path.of("unused")))
                .hasMessageStartingWith("execution.checkpointing.dir is required with the production profile");
        assertThat(JobEnvironments.create("job", configuration(Map.of()), Path.of("local-dir")).getConfiguration()
                .toMap().get("execution.checkpointing.dir")).endsWith("local-dir/checkpoints");
    }
}
