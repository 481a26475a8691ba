package io.tributary.cli.local;

import io.tributary.cli.DurationConverter;
import io.tributary.cli.RegistryOptions;
import io.tributary.dashboard.Dashboard;
import io.tributary.dashboard.DashboardSettings;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tributary dashboard}: serves the live dashboard until Ctrl-C. It only wires flags to
 * {@link DashboardSettings} and starts a {@link Dashboard}; the page and its sources live in the
 * dashboard module. It is a command of the developer's launcher, not of the job image, which
 * carries no web server.
 */
@Command(name = "dashboard", mixinStandardHelpOptions = true, description = {
    "Serves the live dashboard until Ctrl-C: payments, declines and USD volume per minute by merchant category"
        + " and country (PostgreSQL live_metrics_minute), the latest fraud alerts by rule and version"
        + " (read_committed), and the pipeline's health: checkpoint age, consumer lag, DLQ and late rates.",
    "The page updates itself through server-sent events."})
public final class DashboardCommand implements Callable<Integer> {
    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for a phone"
                    + " on the same network).")
    String host;

    @Option(names = "--port", defaultValue = "7070", description = "Port to listen on; 0 takes a free one"
            + " (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--postgres-url", required = true, defaultValue = "${env:TRIBUTARY_POSTGRES_URL}",
            description = "JDBC URL of live-metrics' database, e.g. jdbc:postgresql://db:5432/tributary"
                    + " (env TRIBUTARY_POSTGRES_URL).")
    String postgresUrl;

    @Option(names = "--postgres-user", defaultValue = "${env:TRIBUTARY_POSTGRES_USER:-postgres}",
            description = "Database user; read access to live_metrics_minute is enough (default: ${DEFAULT-VALUE},"
                    + " env TRIBUTARY_POSTGRES_USER).")
    String postgresUser;

    @Option(names = "--postgres-password", defaultValue = "${env:TRIBUTARY_POSTGRES_PASSWORD}",
            description = "Database password; prefer the env TRIBUTARY_POSTGRES_PASSWORD.")
    String postgresPassword;

    @Option(names = "--bootstrap-servers", required = true, description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
            description = "A Kafka client property, e.g. security.protocol=SASL_SSL; repeat for several.")
    Map<String, String> kafkaProperties = new LinkedHashMap<>();

    @Mixin
    RegistryOptions registry = new RegistryOptions();

    @Option(names = "--flink-rest-url", paramLabel = "URL",
            description = "REST endpoint of a Flink cluster whose jobs' checkpoint age to show, e.g."
                    + " http://live-metrics-rest:8081; repeat for each job's cluster.")
    List<URI> flinkRestUrls = new ArrayList<>();

    @Option(names = "--alerts-topic", description = "Topic of the fraud alerts (default: ${DEFAULT-VALUE}).")
    String alertsTopic = DashboardSettings.Topics.standard().alerts();

    @Option(names = "--dead-letters-topic", description = "Dead-letter topic whose rate to show (default: ${DEFAULT-VALUE}).")
    String deadLettersTopic = DashboardSettings.Topics.standard().deadLetters();

    @Option(names = "--late-topic", description = "Late-payments topic whose rate to show (default: ${DEFAULT-VALUE}).")
    String lateTopic = DashboardSettings.Topics.standard().late();

    @Option(names = "--window", converter = DurationConverter.class, defaultValue = "60m",
            description = "How far back the charts and the alert counts go (default: ${DEFAULT-VALUE}).")
    Duration window;

    @Option(names = "--refresh", converter = DurationConverter.class, defaultValue = "2s",
            description = "How often the page updates (default: ${DEFAULT-VALUE}; at least 500ms).")
    Duration refresh;

    @Option(names = "--latest-alerts", defaultValue = "20",
            description = "How many of the newest alerts to list (default: ${DEFAULT-VALUE}).")
    int latestAlerts;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        DashboardSettings settings;
        try {
            settings = settings();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        try (Dashboard dashboard = Dashboard.start(settings)) {
            PrintWriter out = spec.commandLine().getOut();
            out.printf("Dashboard  %s (Ctrl-C stops it)%n", dashboard.url());
            out.flush();
            awaitInterrupt();
        }
        return 0;
    }

    private DashboardSettings settings() {
        Map<String, String> kafka = new LinkedHashMap<>(kafkaProperties);
        kafka.put("bootstrap.servers", bootstrapServers);
        return new DashboardSettings(host, port, new DashboardSettings.Postgres(postgresUrl, postgresUser, postgresPassword),
                kafka, registry.toConfig(), flinkRestUrls, new DashboardSettings.Topics(alertsTopic, deadLettersTopic, lateTopic),
                window, refresh, latestAlerts);
    }

    /** Serves until the JVM stops (Ctrl-C) or, in-process, the thread running the command is interrupted. */
    private static void awaitInterrupt() {
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
