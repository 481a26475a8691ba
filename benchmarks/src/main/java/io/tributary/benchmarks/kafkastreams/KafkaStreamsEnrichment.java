package io.tributary.benchmarks.kafkastreams;

import io.tributary.contracts.TopicContract;
import io.tributary.jobs.enrichment.EnrichmentOptions;
import io.tributary.jobs.enrichment.EnrichmentParameters;
import io.tributary.jobs.enrichment.EnrichmentSettings;
import io.tributary.jobs.pii.PiiOptions;
import io.tributary.jobs.pii.TokenizationKeySource;
import io.tributary.registry.SchemaRegistryConfig;
import io.tributary.state.JobConfiguration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.flink.util.TimeUtils;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The enrichment job's peer on Kafka Streams, for the end-to-end benchmark: the same inputs, outputs,
 * formats and functions (see {@link EnrichmentTopology}), exactly once with a commit a second by
 * default, as the Flink job checkpoints. It runs until it is stopped: Kafka Streams has no bounded
 * mode, so the harness stops it once the results are in.
 */
@Command(name = "kafka-streams-enrichment", mixinStandardHelpOptions = true,
        description = "The transactions enrichment on Kafka Streams, for comparison with the Flink job.")
public final class KafkaStreamsEnrichment implements Callable<Integer> {
    /** Options given with -D that go to Kafka Streams (without this prefix) rather than to the enrichment. */
    public static final String STREAMS_PREFIX = "streams.";

    @Option(names = "--bootstrap-servers", required = true)
    String bootstrapServers;

    @Option(names = "--registry-url", required = true)
    String registryUrl;

    @Option(names = "--application-id", required = true,
            description = "Kafka Streams application id (group, internal topics).")
    String applicationId;

    @Option(names = "--transactions", required = true)
    String transactions;

    @Option(names = "--accounts", required = true)
    String accounts;

    @Option(names = "--merchants", required = true)
    String merchants;

    @Option(names = "--fx-rates", required = true)
    String fxRates;

    @Option(names = "--enriched", required = true)
    String enriched;

    @Option(names = "--late", required = true)
    String late;

    @Option(names = "--dead-letters", required = true)
    String deadLetters;

    @Option(names = "--state-dir", required = true)
    Path stateDirectory;

    @Option(names = "--guarantee", defaultValue = StreamsConfig.EXACTLY_ONCE_V2,
            description = "processing.guarantee: exactly_once_v2 or at_least_once (default: ${DEFAULT-VALUE}).")
    String guarantee;

    @Option(names = "--commit-interval", defaultValue = "1s", description = "As the Flink job's checkpoint interval.")
    String commitInterval;

    @Option(names = "--threads", defaultValue = "2", description = "Stream threads, as the Flink job's parallelism.")
    int threads;

    @Option(names = "-D", paramLabel = "KEY=VALUE",
            description = "An enrichment option (e.g. tributary.state.dedup-ttl=24h), or a Kafka Streams one prefixed "
                    + STREAMS_PREFIX + "; repeatable.")
    Map<String, String> options = new LinkedHashMap<>();

    /**
     * The command line of a run that reads the payments of {@code transactionsTopic} and the reference
     * topics named by their contracts under {@code inputPrefix}, and writes the outputs under
     * {@code outputPrefix}: what the harness and its test both start.
     */
    public static List<String> arguments(String bootstrapServers, String registryUrl, String applicationId,
            String transactionsTopic, String inputPrefix, String outputPrefix, Path stateDirectory) {
        return new ArrayList<>(List.of("--bootstrap-servers", bootstrapServers, "--registry-url", registryUrl,
                "--application-id", applicationId,
                "--transactions", transactionsTopic,
                "--accounts", inputPrefix + TopicContract.ACCOUNT_PROFILES.topic(),
                "--merchants", inputPrefix + TopicContract.MERCHANTS.topic(),
                "--fx-rates", inputPrefix + TopicContract.FX_RATES.topic(),
                "--enriched", outputPrefix + TopicContract.ENRICHED_TRANSACTIONS.topic(),
                "--late", outputPrefix + TopicContract.LATE_TRANSACTIONS.topic(),
                "--dead-letters", outputPrefix + TopicContract.DEAD_LETTERS.topic(),
                "--state-dir", stateDirectory.toString()));
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new KafkaStreamsEnrichment()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        Map<String, String> enrichmentOptions = new LinkedHashMap<>();
        Properties streams = streamsProperties();
        options.forEach((key, value) -> {
            if (key.startsWith(STREAMS_PREFIX)) {
                streams.put(key.substring(STREAMS_PREFIX.length()), value);
            } else {
                enrichmentOptions.put(key, value);
            }
        });
        // Resolved as the Flink job resolves its configuration (profile, defaults, checks, unknown
        // tributary.* options refused): the same dedup TTL, lateness and out-of-orderness.
        EnrichmentParameters parameters = EnrichmentParameters.from(
                JobConfiguration.resolve(null, enrichmentOptions, EnrichmentOptions.all()).configuration());
        var topics = new EnrichmentSettings.Topics(transactions, accounts, merchants, fxRates, enriched, late,
                deadLetters);
        var topology = EnrichmentTopology.build(topics, SchemaRegistryConfig.builder(registryUrl).build(),
                TokenizationKeySource.environment(PiiOptions.TOKENIZATION_KEY_ENV.defaultValue()), parameters);
        KafkaStreams app = new KafkaStreams(topology, streams);
        CountDownLatch stopped = new CountDownLatch(1);
        app.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                stopped.countDown();
            }
        });
        app.setUncaughtExceptionHandler(
                e -> StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        Runtime.getRuntime().addShutdownHook(
                new Thread(() -> app.close(Duration.ofSeconds(20)), "kafka-streams-close"));
        System.out.println("Kafka Streams enrichment " + applicationId + ": " + guarantee + ", commit every "
                + commitInterval + ", " + threads + " threads, dedup TTL " + parameters.dedupTtl());
        app.start();
        stopped.await();
        return app.state() == KafkaStreams.State.ERROR ? 1 : 0;
    }

    private Properties streamsProperties() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        // Short: its threads are named after it, and Linux keeps 15 characters of a thread's name, which
        // the harness's per-thread CPU shows ("ks-StreamThread", "ks-GlobalStream").
        p.put(StreamsConfig.CLIENT_ID_CONFIG, "ks");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
                String.valueOf(TimeUtils.parseDuration(commitInterval).toMillis()));
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, String.valueOf(threads));
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDirectory.toAbsolutePath().toString());
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        return p;
    }
}
