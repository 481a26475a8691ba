package io.tributary.jobs.enrichment;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.events.Transaction;
import io.tributary.jobs.common.JobEnvironments;
import io.tributary.localstack.KafkaBroker;
import io.tributary.localstack.SchemaRegistryServer;
import io.tributary.localstack.junit.LocalServersExtension;
import io.tributary.localstack.pipeline.GeneratedTransaction;
import io.tributary.localstack.pipeline.PaymentEventGenerator;
import io.tributary.localstack.pipeline.TrafficKind;
import io.tributary.localstack.pipeline.TrafficWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The input-quality monitors in the running enrichment job, on the real broker and registry, read
 * through Flink's metric system as a reporter sees them: on steady generated traffic every measure
 * stays inside its bound; then the producers' amounts become a hundred times larger, two payments in
 * three are in yen, and no payment carries an e-mail any more, and the amount drift, the currency
 * drift and the e-mail null rate each pass their bound within a few windows. Windows of 2 s and a
 * baseline of 6 windows stand in for production's minutes.
 */
@ExtendWith(LocalServersExtension.class)
class InputQualityMonitorsIT {
    private static final Duration WINDOW = Duration.ofSeconds(2);
    private static final int BASELINE_WINDOWS = 6;
    private static final int PAYMENTS_PER_SECOND = 500;
    private static final Duration TICK = Duration.ofMillis(100);

    @Test
    void measuresStayInsideTheirBoundsOnNormalTrafficAndPassThemOnADrift(KafkaBroker kafka,
            SchemaRegistryServer registry) throws Exception {
        EnrichmentItSetup setup = new EnrichmentItSetup("quality.", kafka, registry);
        setup.options.put("tributary.enrichment.quality.window", WINDOW.toMillis() + " ms");
        setup.options.put("tributary.enrichment.quality.baseline-windows", String.valueOf(BASELINE_WINDOWS));
        setup.options.put("tributary.enrichment.quality.min-baseline-windows", "3");
        setup.options.put("tributary.enrichment.quality.min-records", "100");
        InMemoryReporter reporter = InMemoryReporter.createWithRetainedMetrics();
        reporter.addToConfiguration(new Configuration()).toMap().forEach(setup.options::put);
        Instant start = Instant.now().minus(Duration.ofMinutes(5));
        PaymentEventGenerator generator = new PaymentEventGenerator(new PaymentEventGenerator.Options()
                .seed(15).accounts(2_000).merchants(100).start(start).duplicateRate(0).malformedRate(0)
                .late(0, Duration.ofMinutes(10)).meanGap(Duration.ofMillis(2)));

        EnrichmentSettings settings = setup.settings();
        StreamExecutionEnvironment env = JobEnvironments.create(TransactionsEnrichmentJob.NAME, setup.configuration(),
                Files.createTempDirectory("input-quality"));
        TransactionsEnrichmentJob.build(env, settings.parameters(), settings.quality(), EnrichmentSources.kafka(settings),
                EnrichmentSinks.kafka(settings));
        try (TrafficWriter writer = setup.trafficWriter()) {
            writer.writeReferenceData(generator.accounts(), generator.merchants(),
                    generator.fxRates(start, start.plus(Duration.ofHours(1))));
            writer.flush();
            JobClient job = env.executeAsync(TransactionsEnrichmentJob.NAME);
            try {
                Measures measures = new Measures(reporter, job.getJobID(), setup.topic("transactions"));
                measures.awaitMonitorOpen();
                // Until the baseline holds whole windows of steady traffic only.
                write(writer, generator, WINDOW.multipliedBy(BASELINE_WINDOWS + 3), UnaryOperator.identity(), () -> false);
                List<Snapshot> normal = new ArrayList<>();
                write(writer, generator, WINDOW.multipliedBy(5), UnaryOperator.identity(), () -> {
                    normal.add(measures.now());
                    return false;
                });
                List<Snapshot> drifted = new ArrayList<>();
                Duration driftTook = write(writer, generator, WINDOW.multipliedBy(8), InputQualityMonitorsIT::drifted, () -> {
                    Snapshot s = measures.now();
                    drifted.add(s);
                    return s.amountPsi > s.psiMax && s.currencyPsi > s.psiMax && s.emailNullRate > s.emailNullRateMax;
                });

                assertThat(normal).as("measures on normal traffic").allSatisfy(s -> {
                    assertThat(s.volumeRatio).isBetween(s.volumeRatioMin, s.volumeRatioMax);
                    assertThat(s.amountPsi).isLessThanOrEqualTo(s.psiMax);
                    assertThat(s.currencyPsi).isLessThanOrEqualTo(s.psiMax);
                    assertThat(s.emailNullRate).isGreaterThan(0).isLessThanOrEqualTo(s.emailNullRateMax);
                });
                Snapshot last = drifted.get(drifted.size() - 1);
                assertThat(last.amountPsi).as("amount drift, within %s", driftTook).isGreaterThan(last.psiMax);
                assertThat(last.currencyPsi).as("currency drift").isGreaterThan(last.psiMax);
                assertThat(last.emailNullRate).as("e-mail null rate").isGreaterThan(last.emailNullRateMax);
                System.out.printf("input quality: normal %s; drifted after %s: %s%n", normal.get(normal.size() - 1),
                        driftTook, last);
            } finally {
                job.cancel().get();
            }
        }
    }

    /** A producer's bug and a market shift at once: minor units as major ones, yen, no e-mail. */
    private static Transaction drifted(Transaction t) {
        boolean yen = Math.floorMod(t.getEventId().hashCode(), 3) != 0;
        return Transaction.newBuilder(t).setAmount(t.getAmount().multiply(BigDecimal.valueOf(100)))
                .setCurrency(yen ? "JPY" : t.getCurrency()).setEmail(null).build();
    }

    /**
     * Writes generated payments at {@link #PAYMENTS_PER_SECOND} for {@code duration}, changed by
     * {@code change}, calling {@code done} every tick until it says so; returns how long it wrote.
     */
    private static Duration write(TrafficWriter writer, PaymentEventGenerator generator, Duration duration,
            UnaryOperator<Transaction> change, BooleanSupplier done) throws InterruptedException {
        long begin = System.nanoTime();
        long perTick = PAYMENTS_PER_SECOND * TICK.toMillis() / 1000;
        for (long tick = 1; System.nanoTime() - begin < duration.toNanos(); tick++) {
            for (int i = 0; i < perTick; i++) {
                GeneratedTransaction g = generator.next();
                writer.write(new GeneratedTransaction(TrafficKind.VALID, change.apply(g.transaction())));
            }
            writer.flush();
            if (done.getAsBoolean()) {
                break;
            }
            long sleep = begin + tick * TICK.toNanos() - System.nanoTime();
            if (sleep > 0) {
                Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
            }
        }
        return Duration.ofNanos(System.nanoTime() - begin);
    }

    /** The gauges of the payments topic at one moment, each with its bound. */
    private record Snapshot(double volumeRatio, double volumeRatioMin, double volumeRatioMax, double amountPsi,
            double currencyPsi, double psiMax, double emailNullRate, double emailNullRateMax) {}

    private static final class Measures {
        private final InMemoryReporter reporter;
        private final JobID job;
        private final String topic;

        Measures(InMemoryReporter reporter, JobID job, String topic) {
            this.reporter = reporter;
            this.job = job;
            this.topic = topic;
        }

        /** Until the monitor has opened: the job's tasks are running, payments written from now are read at once. */
        void awaitMonitorOpen() throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (metrics().keySet().stream().noneMatch(k -> k.endsWith(".lateProfiles"))) {
                assertThat(System.nanoTime()).as("the input quality monitor opened within a minute").isLessThan(deadline);
                Thread.sleep(100);
            }
        }

        Snapshot now() {
            Map<String, Metric> metrics = metrics();
            return new Snapshot(gauge(metrics, "volumeRatio"), gauge(metrics, "volumeRatioMin"),
                    gauge(metrics, "volumeRatioMax"), gauge(metrics, "amountPsi"), gauge(metrics, "currencyPsi"),
                    gauge(metrics, "psiMax"), gauge(metrics, "field.email.nullRate"),
                    gauge(metrics, "field.email.nullRateMax"));
        }

        /**
         * The job's metrics by identifier. Not {@code getMetricsByIdentifiers}, which fails on
         * identifiers that Flink registers twice (a task's {@code numBytesOut}).
         */
        private Map<String, Metric> metrics() {
            Map<String, Metric> byIdentifier = new HashMap<>();
            reporter.getMetricsByGroup().forEach((group, metrics) -> metrics.forEach((name, metric) -> {
                if (job.toString().equals(group.getAllVariables().get("<job_id>"))) {
                    byIdentifier.put(group.getMetricIdentifier(name), metric);
                }
            }));
            return byIdentifier;
        }

        private double gauge(Map<String, Metric> metrics, String name) {
            String end = ".topic." + topic + "." + name;
            return metrics.entrySet().stream().filter(e -> e.getKey().endsWith(end))
                    .map(e -> ((Number) ((Gauge<?>) e.getValue()).getValue()).doubleValue())
                    .findFirst().orElse(Double.NaN);
        }
    }
}
