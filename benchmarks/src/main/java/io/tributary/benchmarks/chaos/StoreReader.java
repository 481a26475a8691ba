package io.tributary.benchmarks.chaos;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Reads what fraud-detection and live-metrics stored, with plain JDBC and a plain Redis client and
 * none of the jobs' classes, so that the check does not share a bug with the code it checks. The
 * table and key layouts are the documented ones (the data dictionary's {@code live_metrics_minute},
 * {@code <prefix>account:<account id>}).
 */
final class StoreReader {
    private final String jdbcUrl;
    private final String user;
    private final String redisHost;
    private final int redisPort;
    private final String keyPrefix;

    StoreReader(String jdbcUrl, String user, String redisHost, int redisPort, String keyPrefix) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.redisHost = redisHost;
        this.redisPort = redisPort;
        this.keyPrefix = keyPrefix;
    }

    /** The payments counted in live-metrics' minute rows of the minutes before {@code before}; -1 before its table exists. */
    long minuteRowPayments(Instant before) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, "");
                PreparedStatement sum = connection.prepareStatement(
                        "SELECT coalesce(sum(payments), 0) FROM live_metrics_minute WHERE window_start < ?")) {
            sum.setTimestamp(1, Timestamp.from(before));
            try (ResultSet r = sum.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        } catch (SQLException e) {
            return -1; // not migrated yet, or the server is away
        }
    }

    /** The account ids that have a feature hash in Redis. */
    Set<String> accountsWithFeatures() {
        Set<String> accounts = new HashSet<>();
        String pattern = keyPrefix + "account:";
        try (Jedis redis = new Jedis(redisHost, redisPort)) {
            keys(redis, pattern + "*").forEach(key -> accounts.add(key.substring(pattern.length())));
        } catch (JedisException e) {
            return Set.of(); // away or busy: the caller asks again
        }
        return accounts;
    }

    /** The feature hash of each of {@code accounts} that has one; none while Redis is away. */
    Map<String, Map<String, String>> accountFeatures(Set<String> accounts) {
        Map<String, Response<Map<String, String>>> responses = new HashMap<>();
        try (Jedis redis = new Jedis(redisHost, redisPort)) {
            Pipeline pipeline = redis.pipelined();
            accounts.forEach(account -> responses.put(account, pipeline.hgetAll(keyPrefix + "account:" + account)));
            pipeline.sync();
        } catch (JedisException e) {
            return Map.of(); // the caller asks again
        }
        Map<String, Map<String, String>> hashes = new HashMap<>();
        responses.forEach((account, response) -> {
            if (!response.get().isEmpty()) {
                hashes.put(account, response.get());
            }
        });
        return hashes;
    }

    /** Every key matching the glob {@code pattern}, through SCAN (KEYS would block the server). */
    static List<String> keys(Jedis redis, String pattern) {
        List<String> keys = new ArrayList<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = redis.scan(cursor, new ScanParams().match(pattern).count(1000));
            keys.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return keys;
    }
}
