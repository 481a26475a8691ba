package io.tributary.jobs.fraud.redis;

import io.tributary.jobs.common.store.StoreWriters;
import io.tributary.jobs.common.store.RejectedRow;
import io.tributary.jobs.common.store.StoreSink;
import io.tributary.jobs.common.store.StoreWriter;
import io.tributary.jobs.fraud.Feature;
import io.tributary.jobs.fraud.FeatureSnapshot;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.flink.metrics.MetricGroup;

/**
 * Writes feature snapshots to Redis, one hash per card or account
 * ({@code <key prefix><card|account>:<id>}, fields {@code event_time} and each feature's short
 * name), for scoring services that look them up by token.
 *
 * <ul>
 *   <li>Writes are buffered, newest per key, and sent in one pipeline when Flink flushes the sink
 *       before each checkpoint (or when the buffer is full): a checkpoint completes only once its
 *       features are in Redis.
 *   <li>Idempotent: a server-side script writes a hash only if it carries a newer event time than
 *       the one stored, so a replay after a restart, or a late flush, never replaces newer values.
 *   <li>Each hash expires {@code featureTtl} after its last write.
 *   <li>If Redis cannot be reached, the flush backs off and retries (the job stops moving, nothing
 *       is dropped); after {@code maxRetryTime} it fails, and the job restarts from its last
 *       checkpoint and writes again.
 *   <li>If Redis refuses the job's user (NOAUTH, WRONGPASS, NOPERM), the flush fails at once with
 *       what to fix: no retry could succeed.
 *   <li>A key that holds another type than a hash (WRONGTYPE: something else wrote there) is not
 *       written; its snapshot becomes a dead letter {@code STORE_WRONG_TYPE} and the other keys are
 *       written.
 * </ul>
 *
 * The password, if any, is read from an environment variable where the writer runs, never from
 * the job graph. Build one with {@link #builder()}.
 */
public final class RedisFeatureSink implements StoreSink<FeatureSnapshot> {
    private static final long serialVersionUID = 1L;

    /** Where and how to write; serializable, travels with the sink. */
    record Options(String host, int port, int database, boolean tls, String tlsCaFile, String user,
            String passwordVariable,
            String keyPrefix, Duration featureTtl, int maxBufferedKeys, Duration timeout, Duration maxRetryTime)
            implements Serializable {}

    private final Options options;

    private RedisFeatureSink(Options options) {
        this.options = options;
    }

    /**
     * Deletes the hashes of an erased account and of its cards now, from the caller's process (the
     * password from {@code environment}); returns how many existed.
     */
    public long forget(String accountId, java.util.Collection<String> cardTokens, Map<String, String> environment)
            throws IOException, InterruptedException {
        List<String> keys = new ArrayList<>();
        keys.add(key(options.keyPrefix(), Feature.Entity.ACCOUNT, accountId));
        cardTokens.forEach(token -> keys.add(key(options.keyPrefix(), Feature.Entity.CARD, token)));
        try (RedisFeatureWriter writer = new RedisFeatureWriter(options, environment,
                new org.apache.flink.metrics.groups.UnregisteredMetricsGroup(), rejected -> { })) {
            return writer.delete(keys);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The key of an entity's hash, {@code <key prefix><card|account>:<id>}; with the id {@code *}, the
     * pattern of every such key (what the lineage names).
     */
    public static String key(String keyPrefix, Feature.Entity entity, String id) {
        return keyPrefix + entity.name().toLowerCase(Locale.ROOT) + ":" + id;
    }

    @Override
    public StoreWriter<FeatureSnapshot> createWriter(MetricGroup metrics, Consumer<RejectedRow> rejected) {
        return new RedisFeatureWriter(options, System.getenv(), metrics, rejected);
    }

    /** Options of a {@link RedisFeatureSink}, each checked when set. */
    public static final class Builder {
        private String host;
        private int port = 6379;
        private int database;
        private boolean tls;
        private String tlsCaFile;
        private String user;
        private String passwordVariable;
        private String keyPrefix = "tributary:features:";
        private Duration featureTtl = Duration.ofHours(48);
        private int maxBufferedKeys = 10_000;
        private Duration timeout = Duration.ofSeconds(5);
        private Duration maxRetryTime = Duration.ofMinutes(5);

        private Builder() {}

        /** The server; required. */
        public Builder server(String host, int port) {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("Redis host is empty");
            }
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("Redis port must be 1 to 65535, got " + port);
            }
            this.host = host;
            this.port = port;
            return this;
        }

        /** The logical database (default 0). */
        public Builder database(int database) {
            if (database < 0) {
                throw new IllegalArgumentException("Redis database must not be negative, got " + database);
            }
            this.database = database;
            return this;
        }

        /**
         * Connect with TLS (default false), verifying that the server's certificate names the host and
         * chains to a CA of the PEM file {@code caFile}, or, if it is null, of the JVM's default trust store.
         */
        public Builder tls(boolean tls, String caFile) {
            if (caFile != null && !tls) {
                throw new IllegalArgumentException("A Redis CA file needs TLS");
            }
            this.tls = tls;
            this.tlsCaFile = caFile;
            return this;
        }

        /**
         * Authenticate: {@code user} may be null (the default user); the password is read from
         * environment variable {@code passwordVariable} where the writer runs.
         */
        public Builder auth(String user, String passwordVariable) {
            this.user = user;
            this.passwordVariable = Objects.requireNonNull(passwordVariable, "passwordVariable");
            return this;
        }

        /** Prefix of every key (default {@code tributary:features:}). */
        public Builder keyPrefix(String keyPrefix) {
            this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
            return this;
        }

        /** How long a hash lives after its last write (default 48 h). */
        public Builder featureTtl(Duration featureTtl) {
            this.featureTtl = StoreWriters.positive("featureTtl", featureTtl);
            return this;
        }

        /** Keys buffered before a flush between checkpoints (default 10,000). */
        public Builder maxBufferedKeys(int maxBufferedKeys) {
            this.maxBufferedKeys = StoreWriters.bufferSize("maxBufferedKeys", maxBufferedKeys);
            return this;
        }

        /** Connect and read timeout of one attempt (default 5 s). */
        public Builder timeout(Duration timeout) {
            this.timeout = StoreWriters.positive("timeout", timeout);
            return this;
        }

        /** How long a flush keeps retrying before it fails the job (default 5 min). */
        public Builder maxRetryTime(Duration maxRetryTime) {
            this.maxRetryTime = StoreWriters.positive("maxRetryTime", maxRetryTime);
            return this;
        }

        public RedisFeatureSink build() {
            if (host == null) {
                throw new IllegalStateException("The Redis server is required: call server(host, port)");
            }
            return new RedisFeatureSink(new Options(host, port, database, tls, tlsCaFile, user, passwordVariable, keyPrefix,
                    featureTtl, maxBufferedKeys, timeout, maxRetryTime));
        }
    }
}
