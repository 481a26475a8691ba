package io.tributary.jobs.fraud.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.jobs.common.store.RejectedRow;
import io.tributary.jobs.common.store.internal.StoreError;
import io.tributary.jobs.fraud.Feature;
import io.tributary.jobs.fraud.FeatureSnapshot;
import io.tributary.localstack.RedisServer;
import io.tributary.localstack.internal.FreePorts;
import io.tributary.localstack.junit.LocalServersExtension;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

/**
 * {@link RedisFeatureWriter} against a real Redis server: writes, retries while Redis is down, sets a
 * key of another type aside, and fails at once for a user without permission.
 */
@ExtendWith(LocalServersExtension.class)
class RedisFeatureWriterIT {
    private static final Duration TTL = Duration.ofHours(48);

    private final List<RejectedRow> rejected = new ArrayList<>();

    private RedisFeatureWriter writer(int port, Duration maxRetryTime) {
        RedisFeatureSink.Options options = new RedisFeatureSink.Options("127.0.0.1", port, 0, false, null, null, null,
                "it:features:", TTL, 100, Duration.ofSeconds(2), maxRetryTime);
        return new RedisFeatureWriter(options, Map.of(), new UnregisteredMetricsGroup(), rejected::add);
    }

    private static FeatureSnapshot card(String token, long eventTime, double count1m) {
        double[] values = new double[Feature.Entity.CARD.features().size()];
        values[Feature.CARD_COUNT_1M.index()] = count1m;
        values[Feature.CARD_AMOUNT_ZSCORE.index()] = 1.5;
        return new FeatureSnapshot(Feature.Entity.CARD, token, eventTime, values);
    }

    @Test
    void writesAHashPerCardWithATimeToLiveAndNeverReplacesNewerValues(RedisServer redis) throws Exception {
        try (RedisFeatureWriter writer = writer(redis.port(), Duration.ofSeconds(10));
                Jedis jedis = new Jedis(redis.host(), redis.port())) {
            writer.write(card("t-1", 2_000, 3));
            writer.flush();

            Map<String, String> hash = jedis.hgetAll("it:features:card:t-1");
            assertThat(hash).containsEntry("event_time", "2000").containsEntry("count_1m", "3")
                    .containsEntry("amount_zscore", "1.5").containsEntry("sum_usd_24h", "0")
                    .hasSize(1 + Feature.Entity.CARD.features().size());
            assertThat(jedis.pttl("it:features:card:t-1")).isBetween(TTL.toMillis() - 60_000, TTL.toMillis());

            // A replay of an older state, then a newer one: only the newer lands.
            writer.write(card("t-1", 1_000, 1));
            writer.flush();
            assertThat(jedis.hget("it:features:card:t-1", "count_1m")).isEqualTo("3");
            writer.write(card("t-1", 3_000, 4));
            writer.write(card("t-1", 2_500, 9)); // older, in the same batch: the newer is kept
            writer.flush();
            assertThat(jedis.hget("it:features:card:t-1", "count_1m")).isEqualTo("4");
            assertThat(jedis.hget("it:features:card:t-1", "event_time")).isEqualTo("3000");
        }
    }

    @Test
    void waitsForRedisToComeBackAndLosesNothing() throws Exception {
        int port = FreePorts.pick();
        try (RedisFeatureWriter writer = writer(port, Duration.ofSeconds(60))) {
            writer.write(card("t-2", 5_000, 7));
            CompletableFuture<Void> flushed = CompletableFuture.runAsync(() -> {
                try {
                    writer.flush();
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(1_500);
            assertThat(flushed).as("the flush waits while Redis is down").isNotDone();

            try (RedisServer redis = RedisServer.start(port); Jedis jedis = new Jedis(redis.host(), port)) {
                flushed.get(30, TimeUnit.SECONDS);
                assertThat(jedis.hget("it:features:card:t-2", "count_1m")).isEqualTo("7");
            }
        }
    }

    @Test
    void givesUpWithAClearErrorAfterTheMaximumRetryTime() throws Exception {
        int port = FreePorts.pick();
        try (RedisFeatureWriter writer = writer(port, Duration.ofSeconds(1))) {
            writer.write(card("t-3", 5_000, 1));

            assertThatThrownBy(() -> writer.flush()).isInstanceOf(IOException.class)
                    .hasMessageStartingWith("Could not write 1 feature hashes to Redis at 127.0.0.1:" + port
                            + " within PT1S: ");
        }
    }

    @Test
    void aKeyHoldingAnotherTypeIsRejectedAndTheOtherKeysAreWritten(RedisServer redis) throws Exception {
        try (RedisFeatureWriter writer = writer(redis.port(), Duration.ofSeconds(60));
                Jedis jedis = new Jedis(redis.host(), redis.port())) {
            jedis.del("it:features:card:t-list");
            jedis.rpush("it:features:card:t-list", "written by something else");
            writer.write(card("t-list", 4_000, 2));
            writer.write(card("t-ok", 4_000, 5));

            long started = System.nanoTime();
            writer.flush();

            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("not retried").isLessThan(Duration.ofSeconds(5));
            assertThat(jedis.hget("it:features:card:t-ok", "count_1m")).isEqualTo("5");
            assertThat(jedis.lrange("it:features:card:t-list", 0, -1)).containsExactly("written by something else");
            assertThat(rejected).singleElement().satisfies(row -> {
                assertThat(row.error()).isEqualTo(StoreError.WRONG_TYPE);
                assertThat(row.key()).isEqualTo("it:features:card:t-list");
                assertThat(row.eventTime()).isEqualTo(4_000);
                assertThat(row.json()).startsWith("{\"event_time\":\"4000\",").contains("\"count_1m\":\"2\"");
                assertThat(row.detail()).startsWith("Redis answered WRONGTYPE for this card's feature hash");
            });
            // The rejected key is not written again by the next flush.
            writer.write(card("t-ok", 5_000, 6));
            writer.flush();
            assertThat(rejected).hasSize(1);
        }
    }

    @Test
    void aUserWithoutPermissionOnTheKeysFailsTheFlushAtOnceSayingWhatToFix(RedisServer redis) throws Exception {
        try (Jedis admin = new Jedis(redis.host(), redis.port())) {
            admin.aclSetUser("it-no-features", "reset", "on", ">it-secret", "~other:*", "+@all");
        }
        RedisFeatureSink.Options options = new RedisFeatureSink.Options(redis.host(), redis.port(), 0, false, null,
                "it-no-features", "IT_REDIS_PASSWORD", "it:features:", TTL, 100, Duration.ofSeconds(2),
                Duration.ofSeconds(60));
        try (RedisFeatureWriter writer = new RedisFeatureWriter(options, Map.of("IT_REDIS_PASSWORD", "it-secret"),
                new UnregisteredMetricsGroup(), rejected::add)) {
            writer.write(card("t-4", 5_000, 1));

            long started = System.nanoTime();
            assertThatThrownBy(writer::flush).isInstanceOf(IOException.class)
                    .hasMessage("Redis at " + redis.host() + ":" + redis.port() + " refused 1 feature hashes: NOPERM this"
                            + " user has no permissions to access one of the keys used as arguments. Give Redis user"
                            + " it-no-features read and write access to keys it:features:* and the commands EVALSHA,"
                            + " SCRIPT LOAD, HGET, HSET and PEXPIRE. Not retried: no retry can succeed until then.");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            assertThat(rejected).isEmpty();
        }
    }

    @Test
    void refusesToStartWithoutItsPassword() {
        RedisFeatureSink.Options options = new RedisFeatureSink.Options("127.0.0.1", 6379, 0, false, null, null,
                "TRIBUTARY_REDIS_PASSWORD", "it:", TTL, 100, Duration.ofSeconds(2), Duration.ofSeconds(1));

        assertThatThrownBy(() -> new RedisFeatureWriter(options, Map.of(), new UnregisteredMetricsGroup(), rejected::add))
                .hasMessage("The Redis password variable TRIBUTARY_REDIS_PASSWORD is not set in this TaskManager's"
                        + " environment");
    }
}
