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
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.rocksdb.CompactionStyle;
import org.rocksdb.CompressionType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobConfigurationTest {
    /** A map option as the jobs have them (the Kafka client's properties). */
    private static final ConfigOption<Map<String, String>> CLIENT_PROPERTIES =
            ConfigOptions.key("tributary.kafka.client-properties").mapType().defaultValue(Map.of());
    private static final List<ConfigOption<?>> KNOWN = List.of(StateOptions.PROFILE, StateOptions.DEDUP_TTL,
            CheckpointingOptions.CHECKPOINTING_INTERVAL, CLIENT_PROPERTIES);

    @Test
    void everyProfileUsesRocksDbIncrementalManagedMemoryBloomFiltersUniversalCompactionRetainedCheckpointsAndExponentialDelay() {
        for (StateProfile profile : StateProfile.values()) {
            Configuration c = JobConfiguration.resolve(null, Map.of("tributary.state.profile", profile.profileName()),
                    KNOWN).configuration();
            assertThat(c.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
            assertThat(c.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
            assertThat(c.get(RocksDBOptions.USE_MANAGED_MEMORY)).isTrue();
            assertThat(c.get(RocksDBConfigurableOptions.USE_BLOOM_FILTER)).isTrue();
            assertThat(c.get(RocksDBConfigurableOptions.COMPACTION_STYLE)).isEqualTo(CompactionStyle.UNIVERSAL);
            assertThat(c.get(RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL))
                    .containsExactly(CompressionType.NO_COMPRESSION);
            assertThat(c.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION))
                    .isEqualTo(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
            assertThat(c.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("exponential-delay");
            assertThat(c.get(CheckpointingOptions.CHECKPOINTING_TIMEOUT))
                    .isGreaterThan(c.get(CheckpointingOptions.CHECKPOINTING_INTERVAL));
        }
    }

    /** The mini-cluster's own default, 128 MiB for all slots, starved RocksDB (benchmarks/README). */
    @Test
    void aLocalRunGivesRocksDbTheManagedMemoryOfADeployedTaskManager() {
        Configuration c = JobConfiguration.resolve(null, Map.of("tributary.state.profile", "local"), KNOWN).configuration();
        assertThat(c.get(TaskManagerOptions.MANAGED_MEMORY_SIZE)).isEqualTo(MemorySize.ofMebiBytes(512));
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
    void readsNestedYamlAsFlinkReadsConfigYaml(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, """
                # Flink 2's config.yaml: nested keys, flat keys, quotes, comments and lists
                tributary:
                  state:
                    profile: "production"   # quoted
                    dedup-ttl: 2 h
                execution.checkpointing:
                  interval: '5 s'
                parallelism.default: 3
                pipeline.jars: [file:///a.jar, file:///b.jar]
                """);

        Configuration c = JobConfiguration.resolve(file, Map.of(), KNOWN).configuration();

        assertThat(c.get(StateOptions.PROFILE)).isEqualTo("production");
        assertThat(c.get(StateOptions.DEDUP_TTL)).isEqualTo(Duration.ofHours(2));
        assertThat(c.get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.get(CoreOptions.DEFAULT_PARALLELISM)).isEqualTo(3);
        assertThat(c.get(PipelineOptions.JARS)).containsExactly("file:///a.jar", "file:///b.jar");
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
                .hasMessage("Unknown state profile 'staging' for tributary.state.profile; profiles are [local, production]")
                .isInstanceOfSatisfying(SettingException.class, e -> assertThat(e.messageNaming("--profile"))
                        .isEqualTo("Unknown state profile 'staging' for --profile; profiles are [local, production]"));
        assertThatThrownBy(() -> JobConfiguration.resolve(null, Map.of("tributary.state.dedup-tll", "1 h"), KNOWN))
                .hasMessage("Unknown option 'tributary.state.dedup-tll'; see --help for the options");
        assertThatThrownBy(() -> JobConfiguration.resolve(null, Map.of("tributary.state.dedup-ttl", "soon"), KNOWN))
                .hasMessageStartingWith("Invalid value 'soon' for tributary.state.dedup-ttl");
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "just some words\n");
        assertThatThrownBy(() -> JobConfiguration.resolve(file, Map.of(), KNOWN))
                .hasMessage(file + " is not YAML of 'key: value' settings");
        assertThatThrownBy(() -> JobConfiguration.resolve(dir.resolve("none.yaml"), Map.of(), KNOWN))
                .hasMessage("Cannot read configuration file " + dir.resolve("none.yaml") + ": no such file");
    }

    @Test
    void aMalformedFileIsOneLineNamingTheFileAndTheLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, """
                tributary:
                  state:
                    dedup-ttl: 2 h
                  kafka:
                    client-properties: {sasl.jaas.config: "hunter2
                parallelism.default: 3
                """);

        assertThatThrownBy(() -> JobConfiguration.resolve(file, Map.of(), KNOWN))
                .hasMessage(file + " is not valid YAML: while scanning a quoted scalar at line 5, column 43;"
                        + " found unexpected end of stream at line 7, column 1")
                .hasMessageNotContaining("hunter2");
        Files.writeString(file, "tributary.state.dedup-ttl: 2 h\n  parallelism.default: 3\n");
        assertThatThrownBy(() -> JobConfiguration.resolve(file, Map.of(), KNOWN))
                .hasMessage(file + " is not valid YAML: mapping values are not allowed here at line 2, column 22");
        Files.writeString(file, "tributary:\n  state:\n    dedup-ttl:\n");
        assertThatThrownBy(() -> JobConfiguration.resolve(file, Map.of(), KNOWN))
                .hasMessage(file + ": tributary.state.dedup-ttl has no value");
    }

    @Test
    void anUnknownKeyIsAnErrorNamingItHoweverItIsWritten(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, "tributary:\n  state:\n    dedup-tll: 2 h\n");
        assertThatThrownBy(() -> JobConfiguration.resolve(file, Map.of(), KNOWN))
                .hasMessage("Unknown option 'tributary.state.dedup-tll'; see --help for the options");
        // Prefix notation belongs to map options only.
        assertThatThrownBy(() -> JobConfiguration.resolve(null, Map.of("tributary.state.dedup-ttl.x", "1"), KNOWN))
                .hasMessage("Unknown option 'tributary.state.dedup-ttl.x'; see --help for the options");
        assertThatThrownBy(() -> JobConfiguration.resolve(null, Map.of("tributary.kafka.client-propertiesX", "a"),
                KNOWN)).hasMessage("Unknown option 'tributary.kafka.client-propertiesX'; see --help for the options");
    }

    @Test
    void aMapOptionTakesItsEntriesInPrefixNotationFromTheFileAndTheCommandLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, """
                tributary:
                  kafka:
                    client-properties:
                      security.protocol: SASL_SSL
                      sasl.mechanism: PLAIN
                tributary.kafka.client-properties.client.id: from-the-file
                """);

        JobConfiguration resolved = JobConfiguration.resolve(file,
                Map.of("tributary.kafka.client-properties.sasl.mechanism", "SCRAM-SHA-512"), KNOWN);

        assertThat(resolved.configuration().get(CLIENT_PROPERTIES)).isEqualTo(Map.of("security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512", "client.id", "from-the-file"));
        assertThat(resolved.describe())
                .contains("tributary.kafka.client-properties.security.protocol = SASL_SSL  [file]")
                .contains("tributary.kafka.client-properties.sasl.mechanism = SCRAM-SHA-512  [command line]")
                .noneMatch(line -> line.startsWith("tributary.kafka.client-properties ="));
    }

    @Test
    void aWholeMapReplacesTheMapAndAnEntryReplacesOnlyItself(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, """
                tributary.kafka.client-properties.client.id: replaced
                tributary.kafka.client-properties: "security.protocol:SASL_SSL,sasl.mechanism:PLAIN"
                """);

        Configuration c = JobConfiguration.resolve(file,
                Map.of("tributary.kafka.client-properties.sasl.mechanism", "SCRAM-SHA-512"), KNOWN).configuration();

        assertThat(c.get(CLIENT_PROPERTIES))
                .isEqualTo(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512"));
        assertThat(JobConfiguration.resolve(null, Map.of("tributary.kafka.client-properties", "{}"), KNOWN)
                .configuration().get(CLIENT_PROPERTIES)).isEmpty();
        assertThatThrownBy(() -> JobConfiguration.resolve(null,
                Map.of("tributary.kafka.client-properties", "sasl.jaas.config=hunter2"), KNOWN))
                .hasMessageStartingWith("Invalid value for tributary.kafka.client-properties")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void neverPrintsSecrets() {
        ConfigOption<String> key = ConfigOptions.key("tributary.tokenization.key")
                .stringType().noDefaultValue();
        JobConfiguration resolved = JobConfiguration.resolve(null,
                Map.of("tributary.tokenization.key", "c2VjcmV0", "properties.sasl.jaas.config", "user pass"),
                List.of(StateOptions.PROFILE, key));

        assertThat(String.join("\n", resolved.describe())).doesNotContain("c2VjcmV0").doesNotContain("user pass")
                .contains("******");
    }

    @Test
    void neverPrintsSecretsInAMapsEntriesHoweverTheMapIsGiven(@TempDir Path dir) throws Exception {
        String jaas = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p\";";
        List<String> masked = List.of("tributary.kafka.client-properties.sasl.jaas.config = ******  [command line]",
                "tributary.kafka.client-properties.ssl.truststore.password = ******  [command line]");

        List<String> fromEntries = JobConfiguration.resolve(null, Map.of(
                "tributary.kafka.client-properties.sasl.jaas.config", jaas,
                "tributary.kafka.client-properties.ssl.truststore.password", "changeit"), KNOWN).describe();
        List<String> fromWholeMap = JobConfiguration.resolve(null, Map.of("tributary.kafka.client-properties",
                "{sasl.jaas.config: '" + jaas + "', ssl.truststore.password: changeit}"), KNOWN).describe();
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, "tributary:\n  kafka:\n    client-properties:\n"
                + "      sasl.jaas.config: '" + jaas + "'\n      ssl.truststore.password: changeit\n");
        List<String> fromFile = JobConfiguration.resolve(file, Map.of(), KNOWN).describe();

        assertThat(fromEntries).containsAll(masked);
        assertThat(fromWholeMap).containsAll(masked);
        assertThat(fromFile).contains(masked.get(0).replace("command line", "file"));
        for (List<String> described : List.of(fromEntries, fromWholeMap, fromFile)) {
            assertThat(String.join("\n", described)).doesNotContain("changeit").doesNotContain("password=");
        }
        assertThat(JobConfiguration.isSecret("tributary.warehouse.catalog-properties.credential")).isTrue();
        assertThat(JobConfiguration.isSecret("tributary.kafka.client-properties.security.protocol")).isFalse();
    }
}
