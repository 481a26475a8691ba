package io.tributary.benchmarks.endtoend;

import io.tributary.jobs.common.JobEnvironments;
import io.tributary.state.JobConfiguration;
import io.tributary.state.StateOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The ceiling of a Flink job here: read records from Kafka and write them unchanged, with the same
 * state backend, checkpointing and sink guarantee as the real jobs, and nothing else. With
 * {@code --keyed} the records are first keyed by their Kafka key (the account id, as the enrichment
 * keys them) without being decoded: the ceiling of a job that shuffles once, which pays for a
 * serialization round trip and a network hop per record on top of the plain pass-through.
 */
@CommandLine.Command(name = "pass-through")
public final class PassThroughJob implements Callable<Integer> {
    /** The options this job reads, so that the harness gives it only those of its job options. */
    static final List<ConfigOption<?>> KNOWN_OPTIONS = List.of(StateOptions.PROFILE,
            CheckpointingOptions.CHECKPOINTING_INTERVAL);

    @Option(names = "--bootstrap-servers", required = true)
    String bootstrapServers;

    @Option(names = "--input", required = true)
    String input;

    @Option(names = "--output", required = true)
    String output;

    @Option(names = "--guarantee", defaultValue = "EXACTLY_ONCE")
    DeliveryGuarantee guarantee;

    @Option(names = "--checkpoint-interval", defaultValue = "1s")
    String checkpointInterval;

    @Option(names = "--parallelism", defaultValue = "2")
    int parallelism;

    @Option(names = "--stop-at-latest")
    boolean stopAtLatest;

    @Option(names = "--local-dir", required = true)
    Path localDirectory;

    @Option(names = "--keyed", description = "Key the records by their Kafka key before the sink.")
    boolean keyed;

    @Option(names = "-D", paramLabel = "KEY=VALUE", description = "A Flink option; repeatable.")
    Map<String, String> options = new LinkedHashMap<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new PassThroughJob()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Map<String, String> settings = new LinkedHashMap<>(Map.of(
                CheckpointingOptions.CHECKPOINTING_INTERVAL.key(), checkpointInterval,
                "parallelism.default", String.valueOf(parallelism)));
        settings.putAll(options);
        JobConfiguration configuration = JobConfiguration.resolve(null, settings, KNOWN_OPTIONS);
        StreamExecutionEnvironment env = JobEnvironments.create("pass-through", configuration.configuration(),
                localDirectory);
        var source = KafkaSource.<Tuple2<byte[], byte[]>>builder()
                .setBootstrapServers(bootstrapServers)
                .setTopics(input)
                .setGroupId("pass-through-" + System.nanoTime())
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setProperty("isolation.level", "read_committed")
                .setDeserializer(new KeyAndValue());
        if (stopAtLatest) {
            source.setBounded(OffsetsInitializer.latest());
        }
        Properties producer = new Properties();
        producer.setProperty("transaction.timeout.ms", String.valueOf(Duration.ofMinutes(10).toMillis()));
        String topic = output;
        KafkaSink<Tuple2<byte[], byte[]>> sink = KafkaSink.<Tuple2<byte[], byte[]>>builder()
                .setBootstrapServers(bootstrapServers)
                .setKafkaProducerConfig(producer)
                .setDeliveryGuarantee(guarantee)
                .setTransactionalIdPrefix("pass-through-" + System.nanoTime())
                .setRecordSerializer((KafkaRecordSerializationSchema<Tuple2<byte[], byte[]>>) (record, context, timestamp)
                        -> new ProducerRecord<>(topic, null, timestamp, record.f0, record.f1))
                .build();
        DataStream<Tuple2<byte[], byte[]>> records = env.fromSource(source.build(), WatermarkStrategy.noWatermarks(),
                "source").uid("source");
        if (keyed) {
            records = records.keyBy(new RecordKey());
        }
        records.sinkTo(sink).name("sink").uid("sink");
        env.execute(keyed ? "keyed-pass-through" : "pass-through");
        return 0;
    }

    /**
     * The record's Kafka key as text: the account id, whose UTF-8 bytes it is. A byte array's own
     * hash code is its identity, so it cannot be the key itself.
     */
    private static final class RecordKey implements KeySelector<Tuple2<byte[], byte[]>, String> {
        @Override
        public String getKey(Tuple2<byte[], byte[]> record) {
            return record.f0 == null ? "" : new String(record.f0, StandardCharsets.UTF_8);
        }
    }

    /** Key and value bytes, untouched. */
    private static final class KeyAndValue implements KafkaRecordDeserializationSchema<Tuple2<byte[], byte[]>> {
        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Tuple2<byte[], byte[]>> out) {
            out.collect(Tuple2.of(record.key(), record.value()));
        }

        @Override
        public TypeInformation<Tuple2<byte[], byte[]>> getProducedType() {
            return TypeInformation.of(new TypeHint<Tuple2<byte[], byte[]>>() {});
        }
    }
}
