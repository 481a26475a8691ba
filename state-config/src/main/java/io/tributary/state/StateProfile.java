package io.tributary.state;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
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

/**
 * Named sets of state, checkpoint and restart settings that every job starts from. Both use
 * RocksDB with incremental checkpoints inside Flink's managed memory (without it RocksDB can
 * outgrow its container) and with bloom filters, retain checkpoints on cancellation, and restart
 * with exponential delay; they differ in how often they checkpoint and how patient they are.
 *
 * <p>Bloom filters, because most of the jobs' state reads look for a key that is not there: a new
 * event id, a payment not yet waiting at its time, an alert not yet raised. Without one, each such
 * read searches every level. Kafka Streams' RocksDB stores have them by default.
 *
 * <p>Universal compaction without compression, as Kafka Streams configures its stores: the jobs'
 * keys are random (event ids, accounts, cards), so under level compaction each file a checkpoint
 * flushes overlaps all of level 1, and compacting it rewrites that level. In the enrichment that
 * compaction took 17% of the job's CPU; without it the job needs about 15% less CPU per result
 * (benchmarks/README, "What each change bought"). The price is space and bursts: universal
 * compaction may hold up to twice the live data on local disk while it merges, and the incremental
 * checkpoint after a large merge uploads the merged file whole; and an erased account's old values
 * stay in the oldest files longer (deploy-k8s/runbooks/gdpr-erasure.md). A job restored from a
 * checkpoint written under level compaction reads it as it is ({@code CompactionStyleSwitchTest}).
 */
public enum StateProfile {
    /**
     * A laptop or a test: checkpoints every second so that exactly-once output is visible quickly,
     * in a local folder, and fast restarts. A job run in-process (its own mini-cluster) gets 512 MiB
     * of managed memory for RocksDB, instead of the mini-cluster's default of 128 MiB: about what two
     * slots have in a deployed TaskManager (2 GiB process, 0.4 of its Flink memory managed, some
     * 320 MiB a slot). With 64 MiB a slot RocksDB flushed and compacted so often that fraud-detection
     * ran at half speed (benchmarks/README).
     */
    LOCAL(Map.ofEntries(
            Map.entry(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ofMebiBytes(512)),
            Map.entry(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(1)),
            Map.entry(CheckpointingOptions.CHECKPOINTING_TIMEOUT, Duration.ofMinutes(1)),
            Map.entry(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS, Duration.ofMillis(200)),
            Map.entry(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, 0),
            Map.entry(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF, Duration.ofMillis(200)),
            Map.entry(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF, Duration.ofSeconds(5)),
            Map.entry(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD,
                    Duration.ofMinutes(1)),
            Map.entry(PipelineOptions.AUTO_WATERMARK_INTERVAL, Duration.ofMillis(100)))),
    /**
     * A cluster: checkpoints every 10 s to object storage (the directory must be given), two
     * tolerated checkpoint failures before the job restarts, and backoff up to 2 minutes so that a
     * broken dependency is not hammered.
     *
     * <p>The checkpoint timeout and the tolerated failures are bounded by Kafka: a sink transaction
     * waits for the checkpoint that commits it through every tolerated failure, so (2 + 1) x (2 min
     * + 10 s), plus a restart (2 min backoff, 3 min recovery), is 11.5 min, which must stay under
     * the sinks' transaction timeout (14 min), itself under the broker's 15 min maximum. A broker
     * that aborts a transaction first loses its output. The former 5 min timeout with 3 tolerated
     * failures needed 26 min, so it let the broker abort transactions the job still meant to commit.
     */
    PRODUCTION(Map.ofEntries(
            Map.entry(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(10)),
            Map.entry(CheckpointingOptions.CHECKPOINTING_TIMEOUT, Duration.ofMinutes(2)),
            Map.entry(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS, Duration.ofSeconds(5)),
            Map.entry(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, 2),
            Map.entry(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF, Duration.ofSeconds(1)),
            Map.entry(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF, Duration.ofMinutes(2)),
            Map.entry(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD,
                    Duration.ofMinutes(10)),
            Map.entry(PipelineOptions.AUTO_WATERMARK_INTERVAL, Duration.ofMillis(200))));

    /** Settings both profiles share. */
    private static final Map<ConfigOption<?>, Object> COMMON = Map.ofEntries(
            Map.entry(StateBackendOptions.STATE_BACKEND, "rocksdb"),
            Map.entry(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem"),
            Map.entry(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true),
            Map.entry(RocksDBOptions.USE_MANAGED_MEMORY, true),
            Map.entry(RocksDBConfigurableOptions.USE_BLOOM_FILTER, true),
            Map.entry(RocksDBConfigurableOptions.COMPACTION_STYLE, CompactionStyle.UNIVERSAL),
            Map.entry(RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL, List.of(CompressionType.NO_COMPRESSION)),
            Map.entry(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                    ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION),
            Map.entry(CheckpointingOptions.MAX_CONCURRENT_CHECKPOINTS, 1),
            Map.entry(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay"),
            Map.entry(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER, 2.0),
            Map.entry(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR, 0.1));

    private final Map<ConfigOption<?>, Object> own;

    StateProfile(Map<ConfigOption<?>, Object> own) {
        this.own = own;
    }

    /** The profile's settings, keyed by option. */
    public Map<ConfigOption<?>, Object> settings() {
        Map<ConfigOption<?>, Object> all = new LinkedHashMap<>(COMMON);
        all.putAll(own);
        return all;
    }

    /** The name used on the command line, e.g. {@code production}. */
    public String profileName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The profile called {@code name}, or a clear error listing the profiles. */
    public static StateProfile named(String name) {
        return Arrays.stream(values())
                .filter(p -> p.profileName().equals(name.strip().toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> new SettingException("Unknown state profile '" + name + "' for ",
                        StateOptions.PROFILE.key(),
                        "; profiles are " + Arrays.stream(values()).map(StateProfile::profileName).toList()));
    }
}
