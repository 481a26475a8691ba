package io.tributary.jobs.fraud.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.jobs.fraud.Feature;
import io.tributary.jobs.fraud.FeatureSnapshot;
import io.tributary.localstack.RedisServer;
import io.tributary.localstack.junit.LocalServersExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

/** {@link RedisFeatureWriter} against a real Redis server. */
@ExtendWith(LocalServersExtension.class)
class RedisFeatureWriterIT {
    private static final Duration TTL = Duration.ofHours(48);

    private static RedisFeatureWriter writer(int port, Duration maxRetryTime) {
        RedisFeatureSink.Options options = new RedisFeatureSink.Options("127.0.0.1", port, 0, false, null, null, null,
                "it:features:", TTL, 100, Duration.ofSeconds(2), maxRetryTime);
        return new RedisFeatureWriter(options, Map.of(), new UnregisteredMetricsGroup());
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
            writer.write(card("t-1", 2_000, 3), null);
            writer.flush(false);

            Map<String, String> hash = jedis.hgetAll("it:features:card:t-1");
            assertThat(hash).containsEntry("event_time", "2000").containsEntry("count_1m", "3")
                    .containsEntry("amount_zscore", "1.5").containsEntry("sum_usd_24h", "0")
                    .hasSize(1 + Feature.Entity.CARD.features().size());
            assertThat(jedis.pttl("it:features:card:t-1")).isBetween(TTL.toMillis() - 60_000, TTL.toMillis());

            // A replay of an older state, then a newer one: only the newer lands.
            writer.write(card("t-1", 1_000, 1), null);
            writer.flush(false);
            assertThat(jedis.hget("it:features:card:t-1", "count_1m")).isEqualTo("3");
            writer.write(card("t-1", 3_000, 4), null);
            writer.write(card("t-1", 2_500, 9), null); // older, in the same batch: the newer is kept
            writer.flush(false);
            assertThat(jedis.hget("it:features:card:t-1", "count_1m")).isEqualTo("4");
            assertThat(jedis.hget("it:features:card:t-1", "event_time")).isEqualTo("3000");
        }
    }

    @Test
    void waitsForRedisToComeBackAndLosesNothing() throws Exception {
        int port = freePort();
        try (RedisFeatureWriter writer = writer(port, Duration.ofSeconds(60))) {
            writer.write(card("t-2", 5_000, 7), null);
            CompletableFuture<Void> flushed = CompletableFuture.runAsync(() -> {
                try {
                    writer.flush(false);
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
        int port = freePort();
        try (RedisFeatureWriter writer = writer(port, Duration.ofSeconds(1))) {
            writer.write(card("t-3", 5_000, 1), null);

            assertThatThrownBy(() -> writer.flush(false)).isInstanceOf(IOException.class)
                    .hasMessageStartingWith("Could not write 1 feature hashes to Redis at 127.0.0.1:" + port
                            + " within PT1S: ");
        }
    }

    @Test
    void refusesToStartWithoutItsPassword() {
        RedisFeatureSink.Options options = new RedisFeatureSink.Options("127.0.0.1", 6379, 0, false, null, null,
                "TRIBUTARY_REDIS_PASSWORD", "it:", TTL, 100, Duration.ofSeconds(2), Duration.ofSeconds(1));

        assertThatThrownBy(() -> new RedisFeatureWriter(options, Map.of(), new UnregisteredMetricsGroup()))
                .hasMessage("The Redis password variable TRIBUTARY_REDIS_PASSWORD is not set in this TaskManager's"
                        + " environment");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
