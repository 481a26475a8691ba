package io.tributary.cli.local;

import io.tributary.cli.DurationConverter;
import io.tributary.cli.Tributary;
import io.tributary.contracts.TopicContract;
import io.tributary.events.DeadLetter;
import io.tributary.events.EnrichedTransaction;
import io.tributary.jobs.common.JobEnvironments;
import io.tributary.jobs.enrichment.EnrichmentOptions;
import io.tributary.jobs.enrichment.EnrichmentSettings;
import io.tributary.jobs.enrichment.EnrichmentSinks;
import io.tributary.jobs.enrichment.EnrichmentSources;
import io.tributary.jobs.enrichment.TransactionsEnrichmentJob;
import io.tributary.jobs.pii.TokenizationKey;
import io.tributary.localstack.pipeline.GeneratedTransaction;
import io.tributary.localstack.pipeline.LocalPipeline;
import io.tributary.localstack.pipeline.PaymentEventGenerator;
import io.tributary.localstack.pipeline.TrafficKind;
import io.tributary.localstack.pipeline.TrafficWriter;
import io.tributary.serde.ConfluentAvroDeserializationSchema;
import io.tributary.state.JobConfiguration;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import sun.misc.Signal;

/**
 * {@code tributary local}: the pipeline on this machine, on real servers (no Docker). It starts
 * Kafka and the schema registry, registers the contracts, creates the topics, writes reference
 * data, runs the transactions-enrichment job in-process, produces generated payments (duplicates,
 * out-of-order, late and malformed records included), and reports every 5 seconds what reached the
 * enriched, late and dead-letter topics as a read_committed consumer sees them. On Ctrl-C or after
 * {@code --duration} it drains the job (the watermark jumps to the end, held events go out, the
 * last transaction commits) and checks that every record is accounted for.
 */
@Command(name = "local", mixinStandardHelpOptions = true,
        description = "Runs the pipeline locally on embedded real servers with generated events; Ctrl-C stops it.")
public final class LocalCommand implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--duration", converter = DurationConverter.class, defaultValue = "0s",
            description = "How long to produce events; 0s (the default) runs until Ctrl-C.")
    Duration duration;

    @Option(names = "--rate", defaultValue = "500", description = "Payment events per second (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the generated traffic (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--accounts", defaultValue = "1000", description = "Number of accounts (default: ${DEFAULT-VALUE}).")
    int accounts;

    @Option(names = "--local-dir", defaultValue = ".local-run",
            description = "Where checkpoints and savepoints go (default: ${DEFAULT-VALUE}).")
    Path localDirectory;

    @Spec
    CommandSpec spec;

    /** Set by Ctrl-C: stop producing and drain. */
    private volatile boolean stopRequested;
    /** Set at the very end: stop reading the outputs. */
    private volatile boolean finished;
    private final Map<TrafficKind, AtomicLong> written = new EnumMap<>(TrafficKind.class);
    private final Map<String, AtomicLong> outputs = new ConcurrentHashMap<>();

    @Override
    public Integer call() throws Exception {
        if (rate < 1 || rate > 100_000) {
            throw new IllegalArgumentException("--rate must be between 1 and 100000, got " + rate);
        }
        if (duration.isNegative()) {
            throw new IllegalArgumentException("--duration must not be negative");
        }
        for (TrafficKind kind : TrafficKind.values()) {
            written.put(kind, new AtomicLong());
        }
        PrintWriter out = spec.commandLine().getOut();
        stopOnCtrlC(out);

        out.println("Starting Kafka (KRaft, in-process) and the schema registry (Apicurio, child JVM)...");
        out.flush();
        LocalPipeline pipeline = LocalPipeline.prepare();
        out.printf("Kafka      %s%nRegistry   %s%nRegistered %d subjects, created %d topics.%n",
                pipeline.kafka().bootstrapServers(), pipeline.registry().url(), TopicContract.values().length,
                TopicContract.values().length);

        Instant start = Instant.now();
        PaymentEventGenerator generator = new PaymentEventGenerator(new PaymentEventGenerator.Options()
                .seed(seed).accounts(accounts).start(start).meanGap(Duration.ofNanos(1_000_000_000L / rate))
                // Late events only once the reference inputs have gone idle and the watermark moves.
                .lateAfter(rate * 15L));
        try (TrafficWriter writer = pipeline.trafficWriter()) {
            writer.writeReferenceData(generator.accounts(), generator.merchants(),
                    generator.fxRates(start, start.plus(Duration.ofDays(1))));
            writer.flush();
            out.printf("Wrote %d account profiles, %d merchants and hourly FX rates.%n", generator.accounts().size(),
                    generator.merchants().size());

            JobClient job = startEnrichment(pipeline, out);
            Thread reader = new Thread(() -> readOutputs(pipeline), "tributary-local-reader");
            reader.setDaemon(true);
            reader.start();
            out.printf("Producing %d payments/s%s.%n", rate,
                    duration.isZero() ? " until Ctrl-C" : " for " + duration.toSeconds() + " s");
            out.flush();
            produce(generator, writer, start, out);
            writer.flush();

            out.println("Draining the job: held events go out, the last transaction commits...");
            out.flush();
            job.stopWithSavepoint(true, localDirectory.resolve("savepoints").toAbsolutePath().toUri().toString(),
                    SavepointFormatType.CANONICAL).get(2, TimeUnit.MINUTES);
            job.getJobExecutionResult().get(2, TimeUnit.MINUTES);
        }
        long total = written.values().stream().mapToLong(AtomicLong::get).sum();
        long duplicates = written.get(TrafficKind.DUPLICATE).get();
        awaitOutputs(total - duplicates, Duration.ofSeconds(15));
        finished = true;
        out.println(status(Duration.between(start, Instant.now())));
        long accounted = count("enriched") + count("late") + count("dead letters") + duplicates;
        out.printf("Every record accounted for: %s (written %d = enriched %d + late %d + dead letters %d"
                        + " + duplicates dropped %d)%n", accounted == total ? "yes" : "NO", total, count("enriched"),
                count("late"), count("dead letters"), duplicates);
        out.flush();
        return accounted == total ? 0 : Tributary.FAILED;
    }

    private JobClient startEnrichment(LocalPipeline pipeline, PrintWriter out) throws Exception {
        Map<String, String> options = Map.of(
                "tributary.kafka.bootstrap-servers", pipeline.kafka().bootstrapServers(),
                "tributary.registry.url", pipeline.registry().url(),
                "tributary.kafka.group-id", "tributary-local",
                "parallelism.default", "2");
        JobConfiguration resolved = JobConfiguration.resolve(null, options, EnrichmentOptions.all());
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        TokenizationKey tokenizationKey = TokenizationKey.fromBase64(Base64.getEncoder().encodeToString(key));
        EnrichmentSettings settings = EnrichmentSettings.from(resolved.configuration(),
                Map.of("TRIBUTARY_TOKENIZATION_KEY", Base64.getEncoder().encodeToString(key)))
                .withInlineKey(tokenizationKey);
        StreamExecutionEnvironment env = JobEnvironments.create(TransactionsEnrichmentJob.NAME,
                resolved.configuration(), localDirectory);
        TransactionsEnrichmentJob.build(env, settings, EnrichmentSources.kafka(settings), EnrichmentSinks.kafka(settings));
        JobClient job = env.executeAsync(TransactionsEnrichmentJob.NAME);
        out.printf("Started %s (job %s) in-process with a fresh tokenization key %s; profile local,"
                + " checkpoints every second under %s.%n", TransactionsEnrichmentJob.NAME, job.getJobID(),
                tokenizationKey.keyId(), localDirectory);
        return job;
    }

    private void produce(PaymentEventGenerator generator, TrafficWriter writer, Instant start, PrintWriter out) {
        long sent = 0;
        long nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!stopRequested && (duration.isZero() || Duration.between(start, Instant.now()).compareTo(duration) < 0)) {
            long due = (long) (Duration.between(start, Instant.now()).toNanos() / 1e9 * rate);
            for (; sent < due; sent++) {
                GeneratedTransaction g = generator.next();
                writer.write(g);
                written.get(g.kind()).incrementAndGet();
            }
            if (System.nanoTime() > nextReport) {
                out.println(status(Duration.between(start, Instant.now())));
                out.flush();
                nextReport += TimeUnit.SECONDS.toNanos(5);
            }
            sleep(Duration.ofMillis(50));
        }
    }

    /** Reads the three outputs as a downstream consumer would: read_committed. */
    private void readOutputs(LocalPipeline pipeline) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.kafka().bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "tributary-local-reader");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        var enriched = ConfluentAvroDeserializationSchema.forSpecific(EnrichedTransaction.class)
                .registry(pipeline.registryConfig()).build();
        var deadLetters = ConfluentAvroDeserializationSchema.forSpecific(DeadLetter.class)
                .registry(pipeline.registryConfig()).build();
        String enrichedTopic = TopicContract.ENRICHED_TRANSACTIONS.topic();
        String lateTopic = TopicContract.LATE_TRANSACTIONS.topic();
        try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(enrichedTopic, lateTopic, TopicContract.DEAD_LETTERS.topic()));
            while (!finished) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        if (record.topic().equals(enrichedTopic)) {
                            EnrichedTransaction e = enriched.deserialize(record.value());
                            increment("enriched");
                            if (!e.getAccountKnown()) {
                                increment("unknown account");
                            }
                            if (!e.getFxRateKnown()) {
                                increment("missing rate");
                            }
                        } else if (record.topic().equals(lateTopic)) {
                            increment("late");
                        } else {
                            increment("dead letters");
                            increment("DLQ " + deadLetters.deserialize(record.value()).getReason());
                        }
                    } catch (Exception e) {
                        increment("unreadable output");
                    }
                }
            }
        }
    }

    private String status(Duration elapsed) {
        Map<String, Long> reasons = new TreeMap<>();
        outputs.forEach((k, v) -> {
            if (k.startsWith("DLQ ")) {
                reasons.put(k.substring(4), v.get());
            }
        });
        long bad = written.entrySet().stream().filter(e -> e.getKey().rejected()).mapToLong(e -> e.getValue().get())
                .sum();
        return String.format("%4ds  written %d (duplicates %d, out of order %d, late %d, bad %d)"
                        + " | enriched %d (unknown account %d, missing rate %d), late %d, dead letters %d %s",
                elapsed.toSeconds(), written.values().stream().mapToLong(AtomicLong::get).sum(),
                written.get(TrafficKind.DUPLICATE).get(), written.get(TrafficKind.OUT_OF_ORDER).get(),
                written.get(TrafficKind.LATE).get(), bad, count("enriched"), count("unknown account"),
                count("missing rate"), count("late"), count("dead letters"), reasons);
    }

    private void awaitOutputs(long expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && count("enriched") + count("late") + count("dead letters") < expected) {
            sleep(Duration.ofMillis(100));
        }
    }

    /** Ctrl-C stops producing and drains the job, instead of killing the JVM under it; a second one exits. */
    private void stopOnCtrlC(PrintWriter out) {
        Signal.handle(new Signal("INT"), signal -> {
            if (stopRequested) {
                Runtime.getRuntime().exit(130);
            }
            stopRequested = true;
            out.println();
            out.println("Stopping (Ctrl-C again to exit at once)...");
            out.flush();
        });
    }

    private void increment(String key) {
        outputs.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
    }

    private long count(String key) {
        AtomicLong n = outputs.get(key);
        return n == null ? 0 : n.get();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
