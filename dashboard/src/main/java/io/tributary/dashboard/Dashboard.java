package io.tributary.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import io.tributary.dashboard.internal.AlertBoard;
import io.tributary.dashboard.internal.AlertFeed;
import io.tributary.dashboard.internal.FlinkCheckpoints;
import io.tributary.dashboard.internal.KafkaHealth;
import io.tributary.dashboard.internal.MinuteRows;
import io.tributary.dashboard.internal.SnapshotPublisher;
import io.tributary.dashboard.internal.SnapshotSource;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live dashboard: a page (static files and ECharts, served by Javalin) that an EventSource keeps
 * up to date. Every refresh interval one thread takes a snapshot of every source (the minute rows in
 * PostgreSQL, the alerts read so far, Kafka's offsets, Flink's checkpoints) and pushes it to every
 * open page as one server-sent event; pages never poll, and ten open pages cost the sources no more
 * than one.
 */
public final class Dashboard implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);
    private static final String PAGE = "/io/tributary/dashboard/web";
    /** The span the DLQ and late rates are averaged over. */
    private static final Duration RATE_SPAN = Duration.ofMinutes(1);
    /** How long one request to Kafka or Flink may take before that source is reported as a problem. */
    private static final Duration SOURCE_TIMEOUT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Javalin server;
    private final AlertFeed alertFeed;
    private final KafkaHealth kafka;
    private final SnapshotPublisher publisher;
    private final ScheduledExecutorService refresher;
    private final URI url;

    private Dashboard(Javalin server, AlertFeed alertFeed, KafkaHealth kafka, SnapshotPublisher publisher,
            ScheduledExecutorService refresher, URI url) {
        this.server = server;
        this.alertFeed = alertFeed;
        this.kafka = kafka;
        this.publisher = publisher;
        this.refresher = refresher;
        this.url = url;
    }

    /** Starts reading the sources and serving the page; returns once the page can be opened. */
    public static Dashboard start(DashboardSettings settings) {
        Properties client = new Properties();
        client.putAll(settings.kafkaClient());
        AlertBoard alerts = new AlertBoard(settings.latestAlerts(), settings.window());
        AlertFeed alertFeed = new AlertFeed(client, settings.topics().alerts(), settings.registry(), alerts,
                settings.window());
        KafkaHealth kafka = new KafkaHealth(client, List.of(
                new KafkaHealth.WatchedTopic("dead letters", settings.topics().deadLetters()),
                new KafkaHealth.WatchedTopic("late payments", settings.topics().late())), RATE_SPAN, SOURCE_TIMEOUT);
        DashboardSettings.Postgres postgres = settings.postgres();
        SnapshotSource source = new SnapshotSource(new MinuteRows(postgres.url(), postgres.user(), postgres.password()),
                alerts, alertFeed, kafka, new FlinkCheckpoints(settings.flinkRestUrls(), SOURCE_TIMEOUT), settings.window());
        SnapshotPublisher publisher = new SnapshotPublisher();
        Javalin server;
        try {
            server = Javalin.create(config -> {
                config.startup.showJavalinBanner = false;
                config.startup.showOldJavalinVersionWarning = false;
                config.jetty.host = settings.host();
                config.jetty.port = settings.port();
                config.staticFiles.add(PAGE, Location.CLASSPATH);
                config.staticFiles.enableWebjars();
                config.routes.sse("/events", publisher::subscribe);
                config.routes.get("/snapshot", ctx -> {
                    String latest = publisher.latest();
                    ctx.contentType("application/json").result(latest == null ? "{}" : latest);
                });
            }).start();
        } catch (RuntimeException e) {
            kafka.close();
            throw new IllegalStateException("the dashboard cannot listen on " + settings.host() + ":" + settings.port()
                    + ": " + e.getMessage(), e);
        }
        alertFeed.start();
        ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tributary-dashboard-refresh");
            t.setDaemon(true);
            return t;
        });
        refresher.scheduleWithFixedDelay(() -> refresh(source, publisher), 0, settings.refresh().toMillis(),
                TimeUnit.MILLISECONDS);
        String host = settings.host().equals("0.0.0.0") || settings.host().equals("::") ? "localhost" : settings.host();
        return new Dashboard(server, alertFeed, kafka, publisher, refresher,
                URI.create("http://" + host + ":" + server.port() + "/"));
    }

    private static void refresh(SnapshotSource source, SnapshotPublisher publisher) {
        try {
            publisher.publish(JSON.writeValueAsString(source.take(Instant.now())));
        } catch (JsonProcessingException | RuntimeException e) {
            // One bad refresh must not end the refreshes: the scheduler stops a task that throws.
            LOG.warn("Dashboard refresh failed: {}", e.toString());
        }
    }

    /** Where the page is. */
    public URI url() {
        return url;
    }

    @Override
    public void close() throws InterruptedException {
        refresher.shutdownNow();
        refresher.awaitTermination(10, TimeUnit.SECONDS);
        publisher.closeAll();
        server.stop();
        alertFeed.close();
        kafka.close();
    }
}
