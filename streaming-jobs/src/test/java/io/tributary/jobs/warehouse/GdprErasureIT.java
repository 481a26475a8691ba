package io.tributary.jobs.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.events.ErasureRequest;
import io.tributary.jobs.fraud.Feature;
import io.tributary.jobs.fraud.redis.RedisFeatureSink;
import io.tributary.jobs.metrics.postgres.MetricsSchema;
import io.tributary.localstack.LocalServers;
import io.tributary.localstack.RedisServer;
import io.tributary.testing.StreamJobProgress;
import io.tributary.testing.TopicReader;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.iceberg.Table;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

/**
 * {@code tributary gdpr erase} on the warehouse that warehouse-sink wrote from the enrichment job's
 * output ({@link WarehouseFixture}, on a copy with the sink's history), Redis feature hashes of the
 * account and its cards, the real Kafka topics, and the state of transactions-enrichment and
 * fraud-detection running over those topics ({@link StreamStateOfTheRun}): before the erasure the
 * account's id and tokens are found in the tables' Parquet files, in Redis and in canonical
 * savepoints of both jobs; after it, in no file left in any table's folder (old snapshots' and
 * unused files included), in no Redis key and in no file of a canonical savepoint taken once the jobs
 * have read the tombstone and the request, while DuckDB through {@code warehouse query} still reads
 * every table, one account's rows fewer.
 */
@ExtendWith(WarehouseFixtureExtension.class)
class GdprErasureIT {
    private static final String KEY_PREFIX = "gdpr-it:";

    @Test
    void theAccountIsFoundBeforeAndNowhereAfterTheErasure(WarehouseFixture fixture, LocalWarehouse warehouse)
            throws Exception {
        // The account of the first alert: it has rows in the raw, enriched, alert and account tables.
        String account = fixture.alerts.get(0).getAccountId();
        Set<String> tokens = tokensOf(account, fixture.rawRows, fixture.enrichedRows);
        Set<String> cards = fixture.enrichedRows.stream().filter(r -> account.equals(String.valueOf(r.get("account_id"))))
                .map(r -> String.valueOf(r.get("card_token"))).collect(Collectors.toCollection(TreeSet::new));
        long rawOfAccount = fixture.rawRows.stream().filter(r -> account.equals(String.valueOf(r.get("account_id"))))
                .count();
        assertThat(cards).isNotEmpty();
        assertThat(rawOfAccount).isPositive();

        RedisServer redis = LocalServers.redis();
        String otherCard = KEY_PREFIX + "card:someone-else";
        try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
            jedis.hset(RedisFeatureSink.key(KEY_PREFIX, Feature.Entity.ACCOUNT, account), "count_1m", "1");
            cards.forEach(card -> jedis.hset(RedisFeatureSink.key(KEY_PREFIX, Feature.Entity.CARD, card), "count_1m", "1"));
            jedis.hset(otherCard, "count_1m", "1");
        }

        // transactions-enrichment and fraud-detection run over the same topics; their state holds the
        // account and its cards once they have read everything.
        try (StreamStateOfTheRun jobs = new StreamStateOfTheRun(fixture)) {
            jobs.awaitEverythingRead();
            List<Path> savepointsBefore = jobs.savepoints("before");
            List<String> needles = new ArrayList<>(tokens);
            needles.add(account);

            // Found before: the search can fail.
            assertThat(filesHolding(warehouse, account, tokens)).isNotEmpty();
            assertThat(redisKeysHolding(redis, account, tokens)).isNotEmpty();
            assertThat(StreamJobProgress.filesHolding(savepointsBefore.subList(0, 1), List.of(account)))
                    .as("the enrichment savepoint names the account").isNotEmpty();
            assertThat(StreamJobProgress.filesHolding(savepointsBefore.subList(1, 2), List.of(account)))
                    .as("the fraud-detection savepoint names the account").isNotEmpty();
            assertThat(StreamJobProgress.filesHolding(savepointsBefore.subList(1, 2), cards))
                    .as("the fraud-detection savepoint names a card of the account").isNotEmpty();
            long rawRows = count(warehouse, "raw_transactions");

            String printed = warehouse.tributary("gdpr", "erase", "--account", account, "--requested-by", "GdprErasureIT",
                    "--bootstrap-servers", LocalServers.kafka().bootstrapServers(),
                    "--registry-url", LocalServers.schemaRegistry().url(),
                    "-D", "tributary.topics.accounts=" + fixture.setup.topic("accounts"),
                    "-D", "tributary.topics.erasure-requests=" + fixture.setup.prefix + "gdpr.erasure-requests.v1",
                    "-D", "tributary.redis.host=" + redis.host(), "-D", "tributary.redis.port=" + redis.port(),
                    "-D", "tributary.redis.key-prefix=" + KEY_PREFIX,
                    // The sink is stopped: no file of a checkpoint still to commit.
                    "-D", "tributary.warehouse.unused-file-min-age=0s");

            assertThat(printed).contains("Redis: deleted " + (1 + cards.size()) + " feature hashes")
                    .contains("Warehouse raw_transactions: removed " + rawOfAccount + " rows");
            assertThat(filesHolding(warehouse, account, tokens)).isEmpty();
            assertThat(redisKeysHolding(redis, account, tokens)).isEmpty();
            try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
                assertThat(jedis.exists(otherCard)).isTrue();
            }
            // The tables are still plain files DuckDB reads, with every other row.
            assertThat(count(warehouse, "raw_transactions")).isEqualTo(rawRows - rawOfAccount);
            assertThat(warehouse.query("SELECT count(*) AS n FROM transactions_enriched WHERE account_id = '" + account + "'"))
                    .isEqualTo("n\n0\n");

            // Kafka: the tombstone that transactions-enrichment forgets the account on, and the request.
            List<ConsumerRecord<byte[], byte[]>> profiles = TopicReader.readCommitted(
                    LocalServers.kafka().bootstrapServers(), fixture.setup.topic("accounts"));
            List<ConsumerRecord<byte[], byte[]>> ofAccount = profiles.stream()
                    .filter(r -> account.equals(new String(r.key(), StandardCharsets.UTF_8))).toList();
            assertThat(ofAccount).isNotEmpty();
            assertThat(ofAccount.get(ofAccount.size() - 1).value()).isNull();
            List<ErasureRequest> requests = TopicReader.decode(TopicReader.readCommitted(
                    LocalServers.kafka().bootstrapServers(), fixture.setup.prefix + "gdpr.erasure-requests.v1"),
                    ErasureRequest.class, fixture.setup.pipeline.registryConfig());
            assertThat(requests).extracting(ErasureRequest::getAccountId).containsExactly(account);

            // The jobs' state: once both have read the tombstone and the request, a canonical savepoint of
            // each holds neither the account id nor any of its tokens, in any file.
            jobs.awaitEverythingRead();
            List<Path> savepointsAfter = jobs.stopWithSavepoints("after");
            assertThat(StreamJobProgress.filesHolding(savepointsAfter, needles)).isEmpty();
        }

        // Idempotent: a second run finds nothing more and fails on nothing.
        assertThat(warehouse.tributary("gdpr", "erase", "--account", account, "--skip", "redis",
                "--bootstrap-servers", LocalServers.kafka().bootstrapServers(),
                "--registry-url", LocalServers.schemaRegistry().url(),
                "-D", "tributary.topics.accounts=" + fixture.setup.topic("accounts"),
                "-D", "tributary.topics.erasure-requests=" + fixture.setup.prefix + "gdpr.erasure-requests.v1"))
                .contains("raw_transactions: removed 0 rows");
    }

    @Test
    void aStoreNeitherConfiguredNorSkippedIsOneLineAndChangesNothing(WarehouseFixture fixture) {
        LocalWarehouse.Run run = fixture.warehouse.run("gdpr", "erase", "--account", "acc-000001",
                "--bootstrap-servers", LocalServers.kafka().bootstrapServers(),
                "--registry-url", LocalServers.schemaRegistry().url());

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err().lines()).containsExactly("tributary: redis is not configured (-D tributary.redis.host=...):"
                + " configure it or --skip redis");
    }

    /**
     * Why the command erases nothing in PostgreSQL: the live-metrics schema, migrated as the job does,
     * has no column that could name an account, a card or a person. A column added that does fails
     * here, and the command must then erase it.
     */
    @Test
    void postgresHoldsNoColumnThatIdentifiesAnAccount() throws Exception {
        List<String> columns = new ArrayList<>();
        try (Connection db = LocalServers.postgres().createDatabase("gdpr_erasure_it").getConnection()) {
            MetricsSchema.migrate(db);
            try (ResultSet rs = db.createStatement().executeQuery("SELECT table_name || '.' || column_name"
                    + " FROM information_schema.columns WHERE table_schema = current_schema()")) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
        }

        assertThat(columns).contains(MetricsSchema.MINUTE_TABLE + ".merchant_category")
                .noneMatch(c -> c.matches(".*(account|card|token|email|e_mail|ip_|device|customer|transaction_id).*"));
    }

    /** The values of every {@code *_token} column of the account's rows. */
    @SafeVarargs
    private static Set<String> tokensOf(String account, List<Map<String, Object>>... tables) {
        Set<String> tokens = new TreeSet<>();
        for (List<Map<String, Object>> rows : tables) {
            rows.stream().filter(r -> account.equals(String.valueOf(r.get("account_id")))).forEach(r -> r.forEach(
                    (column, value) -> {
                        if (column.endsWith("_token") && value != null) {
                            tokens.add(value.toString());
                        }
                    }));
        }
        return tokens;
    }

    /** Every Parquet file in the tables' folders, referenced or not, with a row naming the account or a token. */
    private static List<String> filesHolding(LocalWarehouse warehouse, String account, Set<String> tokens)
            throws Exception {
        List<String> found = new ArrayList<>();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
            for (WarehouseTable t : WarehouseTable.values()) {
                Table table = warehouse.table(t);
                Path folder = Path.of(URI.create(table.location().startsWith("/") ? "file:" + table.location()
                        : table.location()));
                List<Path> parquet;
                try (Stream<Path> files = Files.walk(folder)) {
                    parquet = files.filter(p -> p.toString().endsWith(".parquet")).toList();
                }
                for (Path file : parquet) {
                    // The whole row as text: the id or a token in any column.
                    String sql = "SELECT count(*) FROM read_parquet('" + file.toString().replace("'", "''") + "') AS r"
                            + " WHERE " + String.join(" OR ", java.util.Collections.nCopies(1 + tokens.size(),
                                    "contains(CAST(r AS VARCHAR), ?)"));
                    try (PreparedStatement query = duck.prepareStatement(sql)) {
                        int i = 1;
                        query.setString(i++, account);
                        for (String token : tokens) {
                            query.setString(i++, token);
                        }
                        try (ResultSet rs = query.executeQuery()) {
                            rs.next();
                            if (rs.getLong(1) > 0) {
                                found.add(file.toString());
                            }
                        }
                    }
                }
            }
        }
        return found;
    }

    /** Keys, and hash fields and values, of this test's prefix that name the account or a token. */
    private static List<String> redisKeysHolding(RedisServer redis, String account, Set<String> tokens) {
        List<String> found = new ArrayList<>();
        try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
            for (String key : jedis.keys(KEY_PREFIX + "*")) {
                String text = key + " " + jedis.hgetAll(key);
                if (text.contains(account) || tokens.stream().anyMatch(text::contains)) {
                    found.add(key);
                }
            }
        }
        return found;
    }

    private static long count(LocalWarehouse warehouse, String table) throws IOException {
        return Long.parseLong(warehouse.query("SELECT count(*) AS n FROM " + table).lines().skip(1).findFirst()
                .orElseThrow());
    }
}
