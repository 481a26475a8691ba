package io.tributary.benchmarks.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.localstack.KafkaBroker;
import io.tributary.localstack.PostgresServer;
import io.tributary.localstack.RedisServer;
import io.tributary.localstack.junit.LocalServersExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.encryption.EncryptedFiles;
import org.apache.iceberg.hadoop.HadoopTables;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.types.Types;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * The positive control of the chaos run's canary search: a search that finds nothing proves
 * something only if it finds a canary where one is. One is planted in each kind of place the run
 * searches (a topic's header, a Redis hash value, a list and a key name, a PostgreSQL row, a
 * warehouse table's row, a log file, a job's files) and each must be found; the same kinds of place
 * without one must not be.
 */
@ExtendWith(LocalServersExtension.class)
class CanarySearchIT {

    @Test
    void findsACanaryInEveryKindOfPlaceAndNoneWhereThereIsNone(KafkaBroker kafka, RedisServer redis,
            PostgresServer postgres, @TempDir Path dir) throws Exception {
        String run = "canary_search_it_" + System.nanoTime() % 1_000_000;
        String planted = run + ".planted";
        String clean = run + ".clean";
        kafka.createTopic(planted, 1);
        kafka.createTopic(clean, 1);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.clientProperties(),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            ProducerRecord<byte[], byte[]> withHeader = new ProducerRecord<>(planted, bytes("key"), bytes("value"));
            withHeader.headers().add("note", bytes("reach " + Canaries.EMAIL));
            producer.send(withHeader).get();
            producer.send(new ProducerRecord<>(clean, bytes("key"), bytes("value"))).get();
        }
        postgres.createDatabase(run);
        try (Connection connection = postgres.dataSource(run).getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE notes (id int, note text)");
            statement.execute("INSERT INTO notes VALUES (1, 'card " + Canaries.CARD_NUMBER + "')");
        }
        Path log = Files.writeString(dir.resolve("job.log"), "12:00:00 INFO paid with " + Canaries.CARD_NUMBER + "\n");
        Path cleanLog = Files.writeString(dir.resolve("clean.log"), "12:00:00 INFO paid with a token\n");
        Path jobFiles = Files.createDirectories(dir.resolve("job/chk-1"));
        Files.write(jobFiles.resolve("000001.sst"), bytes("\u0000\u0001" + Canaries.EMAIL + "\u0002"));
        Path cleanJobFiles = Files.createDirectories(dir.resolve("clean-job/chk-1"));
        Files.write(cleanJobFiles.resolve("000001.sst"), bytes("\u0000\u0001nothing\u0002"));

        Path warehouse = dir.resolve("warehouse");
        plantInWarehouse(warehouse, "card " + Canaries.CARD_NUMBER);
        Path cleanWarehouse = dir.resolve("clean-warehouse");
        plantInWarehouse(cleanWarehouse, "card tok_1f2e");

        postgres.createDatabase(run + "_clean");
        CanarySearch cleanSearch = new CanarySearch(kafka.bootstrapServers(), List.of(clean), Set.of(), redis.host(),
                redis.port(), postgres.jdbcUrl(run + "_clean"), postgres.user(), List.of(cleanLog),
                Map.of("clean-job", cleanJobFiles.getParent()), new WarehouseReader(cleanWarehouse));
        assertThat(cleanSearch.search()).as("nothing planted yet in Redis, nor in the clean places")
                .allSatisfy(place -> assertThat(place.found()).as(place.name()).isEqualTo(Canaries.Found.NONE));

        String hash = run + ":account:a-1";
        String list = run + ":recent";
        String namedKey = run + ":card:" + Canaries.CARD_NUMBER;
        try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
            try {
                jedis.hset(hash, "last_email", Canaries.EMAIL);
                jedis.rpush(list, "a", "card " + Canaries.CARD_NUMBER);
                jedis.set(namedKey, "1");

                CanarySearch search = new CanarySearch(kafka.bootstrapServers(), List.of(planted), Set.of(), redis.host(),
                        redis.port(), postgres.jdbcUrl(run), postgres.user(), List.of(log),
                        Map.of("job", jobFiles.getParent()), new WarehouseReader(warehouse));
                Map<String, Canaries.Found> found = search.search().stream()
                        .collect(Collectors.toMap(CanaryReport.Place::name, CanaryReport.Place::found));

                assertThat(found).containsEntry("topic " + planted, new Canaries.Found(0, 1))
                        .containsEntry("Redis, all keys and values", new Canaries.Found(2, 1))
                        .containsEntry("PostgreSQL, all tables as text", new Canaries.Found(1, 0))
                        .containsEntry("the warehouse's Iceberg tables, every text column", new Canaries.Found(1, 0))
                        .containsEntry("the jobs' log files (1)", new Canaries.Found(1, 0))
                        .containsEntry("job's checkpoints and RocksDB files", new Canaries.Found(0, 1));
            } finally {
                // The Redis server is shared with the chaos run, whose search would find these.
                jedis.del(hash, list, namedKey);
            }
        }
    }

    /** An alerts table in the warehouse's Hadoop layout with one row, whose detail is {@code detail}. */
    private static void plantInWarehouse(Path warehouse, String detail) throws IOException {
        Schema schema = new Schema(Types.NestedField.required(1, "alert_id", Types.StringType.get()),
                Types.NestedField.optional(2, "detail", Types.StringType.get()));
        Table table = new HadoopTables(new Configuration()).create(schema, PartitionSpec.unpartitioned(),
                warehouse.resolve(WarehouseReader.NAMESPACE).resolve("fraud_alerts").toUri().toString());
        GenericRecord row = GenericRecord.create(schema);
        row.setField("alert_id", "alert-1");
        row.setField("detail", detail);
        OutputFile file = table.io().newOutputFile(table.location() + "/data/planted.parquet");
        DataWriter<Record> writer = new GenericAppenderFactory(schema)
                .newDataWriter(EncryptedFiles.plainAsEncryptedOutput(file), FileFormat.PARQUET, null);
        try (writer) {
            writer.write(row);
        }
        table.newAppend().appendFile(writer.toDataFile()).commit();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
