package io.tributary.cli;

import io.tributary.contracts.TopicContract;
import io.tributary.events.Transaction;
import io.tributary.localstack.pipeline.GeneratedTransaction;
import io.tributary.localstack.pipeline.LocalPipeline;
import io.tributary.localstack.pipeline.PaymentEventGenerator;
import io.tributary.localstack.pipeline.TrafficKind;
import io.tributary.localstack.pipeline.TrafficWriter;
import io.tributary.serde.ConfluentAvroDeserializationSchema;
import io.tributary.serde.EventDecodingException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tributary local}: the pipeline on this machine, on real servers started in-process or as
 * child processes (no Docker). It starts Kafka and the schema registry, registers the contracts,
 * creates the topics, writes reference data and a stream of generated payments (duplicates,
 * out-of-order, late and malformed records included), reads the stream back as the enrichment job
 * will (read_committed, Confluent Avro), and reports what arrived and what would go to the DLQ.
 */
@Command(name = "local", mixinStandardHelpOptions = true,
        description = "Runs the pipeline locally on embedded real servers with generated events; Ctrl-C stops it.")
final class LocalCommand implements Runnable {
    @Option(names = "--duration", converter = DurationConverter.class, defaultValue = "0s",
            description = "How long to produce events; 0s (the default) runs until Ctrl-C.")
    Duration duration;

    @Option(names = "--rate", defaultValue = "500", description = "Payment events per second (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the generated traffic (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--accounts", defaultValue = "1000", description = "Number of accounts (default: ${DEFAULT-VALUE}).")
    int accounts;

    @Spec
    CommandSpec spec;

    private volatile boolean stopping;
    private final Map<String, AtomicLong> written = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> read = new ConcurrentHashMap<>();

    @Override
    public void run() {
        if (rate < 1 || rate > 100_000) {
            throw new IllegalArgumentException("--rate must be between 1 and 100000, got " + rate);
        }
        if (duration.isNegative()) {
            throw new IllegalArgumentException("--duration must not be negative");
        }
        PrintWriter out = spec.commandLine().getOut();
        CountDownLatch finished = new CountDownLatch(1);
        // Ctrl-C: let the loop finish its tick and print the summary while the servers stop.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping = true;
            awaitQuietly(finished, Duration.ofSeconds(5));
        }, "tributary-local-stop"));
        try {
            runPipeline(out);
        } finally {
            finished.countDown();
        }
    }

    private void runPipeline(PrintWriter out) {
        out.println("Starting Kafka (KRaft, in-process) and the schema registry (Apicurio, child JVM)...");
        out.flush();
        LocalPipeline pipeline;
        try {
            pipeline = LocalPipeline.prepare();
        } catch (Exception e) {
            throw new IllegalStateException("Could not prepare the local stack: " + Tributary.oneLine(e), e);
        }
        out.printf("Kafka      %s%nRegistry   %s%nRegistered %d subjects, created %d topics.%n",
                pipeline.kafka().bootstrapServers(), pipeline.registry().url(), TopicContract.values().length,
                TopicContract.values().length);

        Instant start = Instant.now();
        PaymentEventGenerator generator = new PaymentEventGenerator(new PaymentEventGenerator.Options()
                .seed(seed).accounts(accounts).start(start).meanGap(Duration.ofNanos(1_000_000_000L / rate)));
        Thread reader = new Thread(() -> readBack(pipeline), "tributary-local-reader");
        reader.setDaemon(true);
        reader.start();

        try (TrafficWriter writer = pipeline.trafficWriter()) {
            writer.writeReferenceData(generator.accounts(), generator.merchants(),
                    generator.fxRates(start, start.plus(Duration.ofDays(1))));
            out.printf("Wrote %d account profiles, %d merchants and hourly FX rates. Producing %d payments/s%s.%n",
                    generator.accounts().size(), generator.merchants().size(), rate,
                    duration.isZero() ? " until Ctrl-C" : " for " + duration.toSeconds() + " s");
            out.flush();
            produce(generator, writer, start, out);
            writer.flush();
        }
        awaitReadBack(Duration.ofSeconds(10));
        stopping = true;
        out.println("Done. " + status(Duration.between(start, Instant.now())));
        long decoded = count(read, "decoded");
        long rejected = read.entrySet().stream().filter(e -> e.getKey().startsWith("DECODE_"))
                .mapToLong(e -> e.getValue().get()).sum();
        out.printf("Every record accounted for: %s (written %d = decoded %d + rejected %d)%n",
                count(written, "total") == decoded + rejected ? "yes" : "NO",
                count(written, "total"), decoded, rejected);
        out.flush();
    }

    private void produce(PaymentEventGenerator generator, TrafficWriter writer, Instant start, PrintWriter out) {
        long perTick = Math.max(1, rate / 20);
        long nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        long sent = 0;
        while (!stopping && (duration.isZero() || Duration.between(start, Instant.now()).compareTo(duration) < 0)) {
            long due = (long) (Duration.between(start, Instant.now()).toNanos() / 1e9 * rate);
            for (long i = 0; i < Math.min(perTick * 4, due - sent); i++) {
                GeneratedTransaction g = generator.next();
                writer.write(g);
                written.computeIfAbsent(g.kind().name(), k -> new AtomicLong()).incrementAndGet();
                written.computeIfAbsent("total", k -> new AtomicLong()).incrementAndGet();
                sent++;
            }
            if (System.nanoTime() > nextReport) {
                out.println(status(Duration.between(start, Instant.now())));
                out.flush();
                nextReport += TimeUnit.SECONDS.toNanos(5);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping = true;
            }
        }
    }

    /** Reads the payment topic as a read_committed consumer and decodes every record. */
    private void readBack(LocalPipeline pipeline) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.kafka().bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "tributary-local-reader");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        var deserializer = ConfluentAvroDeserializationSchema.forSpecific(Transaction.class)
                .registry(pipeline.registryConfig()).build();
        try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(TopicContract.TRANSACTIONS.topic()));
            while (!stopping) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    String outcome;
                    try {
                        deserializer.deserialize(record.value());
                        outcome = "decoded";
                    } catch (EventDecodingException e) {
                        outcome = e.failure().reasonCode();
                    } catch (Exception e) {
                        outcome = "error";
                    }
                    read.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
                }
            }
        }
    }

    private void awaitReadBack(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && readTotal() < count(written, "total")) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private String status(Duration elapsed) {
        Map<String, Long> rejected = new TreeMap<>();
        read.forEach((k, v) -> {
            if (k.startsWith("DECODE_")) {
                rejected.put(k, v.get());
            }
        });
        return String.format("%4ds  written %d (duplicates %d, out of order %d, late %d, malformed %d)"
                        + " | read back %d: decoded %d, DLQ-bound %s",
                elapsed.toSeconds(), count(written, "total"), count(written, TrafficKind.DUPLICATE.name()),
                count(written, TrafficKind.OUT_OF_ORDER.name()), count(written, TrafficKind.LATE.name()),
                count(written, TrafficKind.MALFORMED_NOT_AVRO.name()) + count(written, TrafficKind.MALFORMED_TRUNCATED.name())
                        + count(written, TrafficKind.MALFORMED_UNKNOWN_SCHEMA_ID.name()),
                readTotal(), count(read, "decoded"), rejected);
    }

    private long readTotal() {
        return read.values().stream().mapToLong(AtomicLong::get).sum();
    }

    private static long count(Map<String, AtomicLong> counts, String key) {
        AtomicLong n = counts.get(key);
        return n == null ? 0 : n.get();
    }

    private static void awaitQuietly(CountDownLatch latch, Duration timeout) {
        try {
            latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
