package io.tributary.benchmarks.chaos;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import redis.clients.jedis.Jedis;

/**
 * Searches every place the run's data can land for the {@link Canaries}: each topic's records
 * (keys, values and headers, read_uncommitted, so that aborted transactions' records count too),
 * every Redis key and value, every PostgreSQL table of the run's database as text, every text
 * column of the warehouse's tables, the jobs' log files and each job's files (checkpoints, RocksDB's
 * working files under its temporary directories, the warehouse's data files).
 */
final class CanarySearch {
    private final String bootstrapServers;
    private final List<String> topics;
    private final Set<String> controlTopics;
    private final String redisHost;
    private final int redisPort;
    private final String jdbcUrl;
    private final String user;
    private final List<Path> logFiles;
    private final Map<String, Path> jobDirectories;
    private final WarehouseReader warehouse;

    /**
     * @param controlTopics topics that hold clear personal data by design: the payments input, and
     *     the DLQ, which keeps the original bytes of rejected records
     * @param jobDirectories each job's work directory, by job name
     * @param warehouse warehouse-sink's tables
     */
    CanarySearch(String bootstrapServers, List<String> topics, Set<String> controlTopics, String redisHost, int redisPort,
            String jdbcUrl, String user, List<Path> logFiles, Map<String, Path> jobDirectories,
            WarehouseReader warehouse) {
        this.bootstrapServers = bootstrapServers;
        this.topics = topics;
        this.controlTopics = controlTopics;
        this.redisHost = redisHost;
        this.redisPort = redisPort;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.logFiles = logFiles;
        this.jobDirectories = jobDirectories;
        this.warehouse = warehouse;
    }

    List<CanaryReport.Place> search() throws SQLException {
        List<CanaryReport.Place> places = new ArrayList<>();
        for (String topic : topics) {
            places.add(new CanaryReport.Place("topic " + topic, controlTopics.contains(topic), topic(topic)));
        }
        places.add(new CanaryReport.Place("Redis, all keys and values", false, redis()));
        places.add(new CanaryReport.Place("PostgreSQL, all tables as text", false, postgres()));
        places.add(new CanaryReport.Place("the warehouse's Iceberg tables, every text column", false, warehouse.canaries()));
        places.add(new CanaryReport.Place("the jobs' log files (" + logFiles.size() + ")", false, Canaries.inFiles(logFiles)));
        jobDirectories.forEach((job, directory) -> places.add(new CanaryReport.Place(
                job + "'s checkpoints and RocksDB files", false, Canaries.inFiles(directory))));
        return places;
    }

    private Canaries.Found topic(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Canaries.Found found = Canaries.Found.NONE;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Could not read " + topic + " to its end within 2 minutes");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    found = found.plus(Canaries.in(record.key())).plus(Canaries.in(record.value()));
                    for (Header header : record.headers()) {
                        found = found.plus(Canaries.in(header.key())).plus(Canaries.in(header.value()));
                    }
                }
            }
        }
        return found;
    }

    /** Every key, and every value by its type (a DUMP could be compressed). */
    private Canaries.Found redis() {
        Canaries.Found found = Canaries.Found.NONE;
        try (Jedis redis = new Jedis(redisHost, redisPort)) {
            for (String key : StoreReader.keys(redis, "*")) {
                found = found.plus(Canaries.in(key));
                List<String> values = switch (redis.type(key)) {
                    case "string" -> List.of(redis.get(key));
                    case "hash" -> redis.hgetAll(key).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
                    case "list" -> redis.lrange(key, 0, -1);
                    case "set" -> List.copyOf(redis.smembers(key));
                    case "zset" -> redis.zrange(key, 0, -1);
                    default -> List.of(); // expired meanwhile, or a type the jobs do not write
                };
                for (String value : values) {
                    found = found.plus(Canaries.in(value));
                }
            }
        }
        return found;
    }

    /** Every row of every table of the database's public schema, as PostgreSQL prints it. */
    private Canaries.Found postgres() throws SQLException {
        Canaries.Found found = Canaries.Found.NONE;
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, "");
                Statement statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet r = statement.executeQuery(
                    "SELECT quote_ident(table_name) FROM information_schema.tables WHERE table_schema = 'public'")) {
                while (r.next()) {
                    tables.add(r.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet rows = statement.executeQuery("SELECT t::text FROM " + table + " t")) {
                    while (rows.next()) {
                        found = found.plus(Canaries.in(rows.getString(1)));
                    }
                }
            }
        }
        return found;
    }
}
