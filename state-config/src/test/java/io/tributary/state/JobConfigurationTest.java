package io.tributary.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobConfigurationTest {
    private static final List<ConfigOption<?>> KNOWN =
            List.of(StateOptions.PROFILE, StateOptions.DEDUP_TTL, CheckpointingOptions.CHECKPOINTING_INTERVAL);

    @Test
    void everyProfileUsesRocksDbIncrementalManagedMemoryRetainedCheckpointsAndExponentialDelay() {
        for (StateProfile profile : StateProfile.values()) {
            Configuration c = JobConfiguration.resolve(null, Map.of("tributary.state.profile", profile.profileName()),
                    KNOWN).configuration();
            assertThat(c.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
            assertThat(c.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
            assertThat(c.get(RocksDBOptions.USE_MANAGED_MEMORY)).isTrue();
            assertThat(c.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION))
                    .isEqualTo(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
            assertThat(c.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("exponential-delay");
            assertThat(c.get(CheckpointingOptions.CHECKPOINTING_TIMEOUT))
                    .isGreaterThan(c.get(CheckpointingOptions.CHECKPOINTING_INTERVAL));
        }
    }

    @Test
    void theCommandLineOverridesTheFileWhichOverridesTheProfile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("job.yaml");
        Files.writeString(file, """
                # production, but checkpoint more often
                tributary.state.profile: production
                execution.checkpointing.interval: 5 s
                tributary.state.dedup-ttl: 2 h
                """);

        JobConfiguration resolved = JobConfiguration.resolve(file, Map.of("tributary.state.dedup-ttl", "30 min"), KNOWN);

        Configuration c = resolved.configuration();
        assertThat(c.get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.get(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS)).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.get(StateOptions.DEDUP_TTL)).isEqualTo(Duration.ofMinutes(30));
        assertThat(resolved.describe())
                .contains("execution.checkpointing.interval = 5 s  [file]")
                .contains("tributary.state.dedup-ttl = 30 min  [command line]")
                .contains("execution.checkpointing.min-pause = 5 s  [profile]");
    }

    @Test
    void withoutTheProfileOnlyWhatTheFileAndTheCommandLineSetRemains(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("job.yaml");
        Files.writeString(file, "parallelism.default: 3\n");

        Configuration c = JobConfiguration.resolve(file, Map.of("tributary.state.dedup-ttl", "2 h"), KNOWN)
                .withoutProfile();

        assertThat(c.toMap()).containsOnlyKeys("parallelism.default", "tributary.state.dedup-ttl");
        assertThat(c.contains(CheckpointingOptions.CHECKPOINT_STORAGE)).isFalse();
    }

    @Test
    void badConfigurationFailsWithOneClearLine(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> JobConfiguration.resolve(null, Map.of("tributary.state.profile", "staging"), KNOWN))
                .hasMessage("Unknown state profile 'staging'; profiles are [local, production]");
        assertThatThrownBy(() -> JobConfiguration.resolve(null, Map.of("tributary.state.dedup-tll", "1 h"), KNOWN))
                .hasMessage("Unknown option 'tributary.state.dedup-tll'; see --help for the options");
        assertThatThrownBy(() -> JobConfiguration.resolve(null, Map.of("tributary.state.dedup-ttl", "soon"), KNOWN))
                .hasMessageStartingWith("Invalid value 'soon' for tributary.state.dedup-ttl");
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "just some words\n");
        assertThatThrownBy(() -> JobConfiguration.resolve(file, Map.of(), KNOWN))
                .hasMessageEndingWith("bad.yaml line 1 is not 'key: value'");
    }

    @Test
    void neverPrintsSecrets() {
        ConfigOption<String> key = org.apache.flink.configuration.ConfigOptions.key("tributary.tokenization.key")
                .stringType().noDefaultValue();
        JobConfiguration resolved = JobConfiguration.resolve(null,
                Map.of("tributary.tokenization.key", "c2VjcmV0", "properties.sasl.jaas.config", "user pass"),
                List.of(StateOptions.PROFILE, key));

        assertThat(String.join("\n", resolved.describe())).doesNotContain("c2VjcmV0").doesNotContain("user pass")
                .contains("******");
    }
}
