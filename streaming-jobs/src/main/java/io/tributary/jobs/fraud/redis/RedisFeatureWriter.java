package io.tributary.jobs.fraud.redis;

import io.tributary.jobs.common.StoreRetry;
import io.tributary.jobs.fraud.Feature;
import io.tributary.jobs.fraud.FeatureSnapshot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.sink2.SinkWriter;
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

/** The writer of {@link RedisFeatureSink}: buffers the newest snapshot per key, flushes in a pipeline. */
final class RedisFeatureWriter implements SinkWriter<FeatureSnapshot> {
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
    private final Counter written;
    private final Counter staleSkipped;
    private final Counter retries;
    private Jedis jedis;
    private String scriptSha;

    RedisFeatureWriter(RedisFeatureSink.Options options, Map<String, String> environment, MetricGroup metrics) {
        this.options = options;
        if (options.passwordVariable() != null) {
            this.password = environment.get(options.passwordVariable());
            if (password == null) {
                throw new IllegalStateException("The Redis password variable " + options.passwordVariable()
                        + " is not set in this TaskManager's environment");
            }
        } else {
            this.password = null;
        }
        // Flat names (no subgroup), as the deploy checks read them from the code.
        this.written = metrics.counter("redisFeaturesWritten");
        this.staleSkipped = metrics.counter("redisStaleFeaturesSkipped");
        this.retries = metrics.counter("redisRetries");
    }

    /** The key of a snapshot's hash. */
    String key(FeatureSnapshot snapshot) {
        return RedisFeatureSink.key(options.keyPrefix(), snapshot.entity, snapshot.id);
    }

    @Override
    public void write(FeatureSnapshot snapshot, Context context) throws IOException, InterruptedException {
        // Newest per key: a card paying ten times between checkpoints is written once.
        buffer.merge(key(snapshot), snapshot, (old, next) -> next.eventTime >= old.eventTime ? next : old);
        if (buffer.size() >= options.maxBufferedKeys()) {
            flush(false);
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        if (buffer.isEmpty()) {
            return;
        }
        StoreRetry.untilDone(this::send, JedisException.class, this::closeConnection, options.maxRetryTime(),
                buffer.size() + " feature hashes to Redis at " + options.host() + ":" + options.port(), retries, LOG);
        buffer.clear();
    }

    private void send() {
        Jedis connection = connection();
        String ttl = String.valueOf(options.featureTtl().toMillis());
        Pipeline pipeline = connection.pipelined();
        for (Map.Entry<String, FeatureSnapshot> entry : buffer.entrySet()) {
            pipeline.evalsha(scriptSha, List.of(entry.getKey()), arguments(entry.getValue(), ttl));
        }
        List<Object> replies = pipeline.syncAndReturnAll();
        for (Object reply : replies) {
            if (reply instanceof JedisDataException e) {
                // E.g. NOSCRIPT after a restart of Redis: the next attempt loads the script again.
                throw e;
            }
        }
        long wrote = replies.stream().filter(r -> Long.valueOf(1).equals(r)).count();
        written.inc(wrote);
        staleSkipped.inc(replies.size() - wrote);
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

    private void closeConnection() {
        if (jedis != null) {
            try {
                jedis.close();
            } catch (RuntimeException e) {
                LOG.debug("Closing a failed Redis connection: {}", e.getMessage());
            }
            jedis = null;
        }
    }

    @Override
    public void close() {
        closeConnection();
    }
}
