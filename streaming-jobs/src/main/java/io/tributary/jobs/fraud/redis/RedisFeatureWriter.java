package io.tributary.jobs.fraud.redis;

import io.tributary.jobs.common.store.StoreWriters;
import io.tributary.jobs.common.store.JsonRow;
import io.tributary.jobs.common.store.RejectedRow;
import io.tributary.jobs.common.store.StoreRetry;
import io.tributary.jobs.common.store.StoreWriter;
import io.tributary.jobs.common.store.internal.StoreError;
import io.tributary.jobs.common.store.internal.StoreErrors;
import io.tributary.jobs.fraud.Feature;
import io.tributary.jobs.fraud.FeatureSnapshot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The writer of {@link RedisFeatureSink}: buffers the newest snapshot per key, flushes in a pipeline.
 * A key that holds another type than a hash (WRONGTYPE) is set aside as a rejected row, the other
 * keys are written; NOAUTH, WRONGPASS and NOPERM fail the flush at once ({@link StoreRetry}).
 */
final class RedisFeatureWriter implements StoreWriter<FeatureSnapshot> {
    private static final Logger LOG = LoggerFactory.getLogger(RedisFeatureWriter.class);

    /**
     * KEYS[1]: the hash; ARGV: event time, TTL in ms, then field, value pairs. Writes only if the
     * stored event time is older (or absent); returns 1 if it wrote, 0 if the hash was newer.
     */
    static final String WRITE_IF_NEWER = """
            local stored = redis.call('HGET', KEYS[1], 'event_time')
            if stored and tonumber(stored) >= tonumber(ARGV[1]) then
              return 0
            end
            local fields = {'event_time', ARGV[1]}
            for i = 3, #ARGV do
              fields[#fields + 1] = ARGV[i]
            end
            redis.call('HSET', KEYS[1], unpack(fields))
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            return 1
            """;

    private final RedisFeatureSink.Options options;
    private final String password;
    private final Map<String, FeatureSnapshot> buffer = new LinkedHashMap<>();
    private final Consumer<RejectedRow> rejected;
    private final StoreRetry retry;
    private final Counter written;
    private final Counter staleSkipped;
    /** The keys Redis refused in the current attempt: rejected once the attempt has succeeded. */
    private final List<RejectedRow> refusedInAttempt = new ArrayList<>();
    private Jedis jedis;
    private String scriptSha;

    RedisFeatureWriter(RedisFeatureSink.Options options, Map<String, String> environment, MetricGroup metrics,
            Consumer<RejectedRow> rejected) {
        this.options = options;
        this.rejected = rejected;
        this.password = StoreWriters.password(environment, options.passwordVariable(), "Redis");
        // Flat names (no subgroup), as the deploy checks read them from the code.
        this.written = metrics.counter("redisFeaturesWritten");
        this.staleSkipped = metrics.counter("redisStaleFeaturesSkipped");
        this.retry = new StoreRetry("Redis at " + options.host() + ":" + options.port(), options.maxRetryTime(),
                this::remedy, metrics.counter("redisRetries"), LOG);
    }

    /** What to fix when Redis refuses every write. */
    private String remedy(StoreError error) {
        String user = options.user() == null ? "default" : options.user();
        return switch (error) {
            case AUTHENTICATION -> "Check tributary.redis.user (" + user + ") and the password in environment variable "
                    + options.passwordVariable() + " against the Redis ACL.";
            case PERMISSION -> "Give Redis user " + user + " read and write access to keys " + options.keyPrefix()
                    + "* and the commands EVALSHA, SCRIPT LOAD, HGET, HSET and PEXPIRE.";
            default -> "Check the Redis server and the job's tributary.redis.* settings.";
        };
    }

    /** The key of a snapshot's hash. */
    String key(FeatureSnapshot snapshot) {
        return RedisFeatureSink.key(options.keyPrefix(), snapshot.entity, snapshot.id);
    }

    @Override
    public void write(FeatureSnapshot snapshot) throws IOException, InterruptedException {
        // Newest per key: a card paying ten times between checkpoints is written once.
        buffer.merge(key(snapshot), snapshot, (old, next) -> next.eventTime >= old.eventTime ? next : old);
        if (buffer.size() >= options.maxBufferedKeys()) {
            flush();
        }
    }

    @Override
    public void flush() throws IOException, InterruptedException {
        if (buffer.isEmpty()) {
            return;
        }
        retry.untilDone(this::send, JedisException.class, this::closeConnection, buffer.size() + " feature hashes");
        refusedInAttempt.forEach(rejected);
        buffer.clear();
    }

    private void send() {
        refusedInAttempt.clear();
        Jedis connection = connection();
        String ttl = String.valueOf(options.featureTtl().toMillis());
        Pipeline pipeline = connection.pipelined();
        List<String> keys = new ArrayList<>(buffer.keySet());
        for (String key : keys) {
            pipeline.evalsha(scriptSha, List.of(key), arguments(buffer.get(key), ttl));
        }
        List<Object> replies = pipeline.syncAndReturnAll();
        long wrote = 0;
        for (int i = 0; i < replies.size(); i++) {
            Object reply = replies.get(i);
            if (reply instanceof JedisDataException e) {
                StoreError error = StoreErrors.classify(e);
                if (error.scope() != StoreError.Scope.ROW) {
                    // E.g. NOSCRIPT after a restart of Redis: the next attempt loads the script again.
                    throw e;
                }
                refusedInAttempt.add(refused(keys.get(i), buffer.get(keys.get(i)), error));
            } else if (Long.valueOf(1).equals(reply)) {
                wrote++;
            }
        }
        written.inc(wrote);
        staleSkipped.inc(replies.size() - wrote - refusedInAttempt.size());
    }

    /** A snapshot whose key Redis refused, with the fields it would have written, as strings as Redis holds them. */
    private static RejectedRow refused(String key, FeatureSnapshot snapshot, StoreError error) {
        JsonRow json = new JsonRow().add("event_time", String.valueOf(snapshot.eventTime));
        List<Feature> features = snapshot.entity.features();
        for (Feature feature : features) {
            json.add(feature.shortName(), format(snapshot.values[feature.index()]));
        }
        String entity = snapshot.entity.name().toLowerCase(Locale.ROOT);
        return new RejectedRow(key, json.toString(), snapshot.eventTime, error, "Redis answered WRONGTYPE for this "
                + entity + "'s feature hash: something else wrote a value of another type under its key. Its features"
                + " as of this event time were not written. Find what writes under the features' key prefix and stop"
                + " it, then delete the key: the " + entity + "'s next payment writes the hash again.");
    }

    private static List<String> arguments(FeatureSnapshot snapshot, String ttl) {
        List<Feature> features = snapshot.entity.features();
        List<String> args = new ArrayList<>(2 + 2 * features.size());
        args.add(String.valueOf(snapshot.eventTime));
        args.add(ttl);
        for (Feature feature : features) {
            args.add(feature.shortName());
            args.add(format(snapshot.values[feature.index()]));
        }
        return args;
    }

    /** Whole numbers without a fraction (counts), others as Java writes doubles. */
    static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value) : String.valueOf(value);
    }

    private Jedis connection() {
        if (jedis == null) {
            Jedis connected = new Jedis(new HostAndPort(options.host(), options.port()), clientConfig());
            try {
                scriptSha = connected.scriptLoad(WRITE_IF_NEWER);
            } catch (JedisException e) {
                connected.close();
                throw e;
            }
            jedis = connected;
        }
        return jedis;
    }

    /** How to connect: with TLS, the server's certificate must name the host and chain to the configured CAs. */
    DefaultJedisClientConfig clientConfig() {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .database(options.database())
                .ssl(options.tls())
                .timeoutMillis((int) options.timeout().toMillis());
        if (options.tls()) {
            config.sslParameters(RedisTls.verifyingHostname());
            if (options.tlsCaFile() != null) {
                config.sslSocketFactory(RedisTls.trusting(Path.of(options.tlsCaFile())));
            }
        }
        if (password != null) {
            config.user(options.user()).password(password);
        }
        return config.build();
    }

    /**
     * Deletes the keys (an erased account's hashes), retrying as writes do; returns how many existed.
     * The feature TTL would expire them too, but an erasure must not wait for it.
     */
    long delete(List<String> keys) throws IOException, InterruptedException {
        long[] deleted = {0};
        if (!keys.isEmpty()) {
            retry.untilDone(() -> deleted[0] = connection().del(keys.toArray(String[]::new)), JedisException.class,
                    this::closeConnection, keys.size() + " keys to delete");
        }
        return deleted[0];
    }

    private void closeConnection() {
        StoreWriters.closeQuietly(jedis, "Redis", LOG);
        jedis = null;
    }

    @Override
    public void close() {
        closeConnection();
    }
}
