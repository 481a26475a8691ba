package io.tributary.dashboard;

import io.tributary.contracts.TopicContract;
import io.tributary.registry.SchemaRegistryConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a dashboard reads and how it serves its page. Checked when made, so that a bad value stops
 * the command at once with one line rather than leaving an empty page.
 *
 * @param host the address to listen on: 127.0.0.1 keeps the page on this machine; 0.0.0.0 lets a
 *     phone on the same network open it
 * @param port the port to listen on; 0 takes a free one
 * @param kafkaClient Kafka client properties: bootstrap servers, and security settings where needed
 * @param flinkRestUrls the REST endpoint of each Flink cluster whose jobs' checkpoints to show
 * @param window how far back the charts and the alert counts go
 * @param refresh how often the page is updated
 * @param latestAlerts how many of the newest alerts are listed
 */
public record DashboardSettings(String host, int port, Postgres postgres, Map<String, String> kafkaClient,
        SchemaRegistryConfig registry, List<URI> flinkRestUrls, Topics topics, Duration window, Duration refresh,
        int latestAlerts) {
    /** The shortest refresh: each one queries PostgreSQL, the Kafka admin API and every Flink endpoint. */
    public static final Duration MIN_REFRESH = Duration.ofMillis(500);
    public static final int MAX_LATEST_ALERTS = 500;

    /** The database live-metrics writes its minute rows to; the dashboard only reads it. */
    public record Postgres(String url, String user, String password) {
        public Postgres {
            Objects.requireNonNull(url, "PostgreSQL URL");
            Objects.requireNonNull(user, "PostgreSQL user");
            if (!url.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("the PostgreSQL URL must start with jdbc:postgresql:, got " + url);
            }
        }
    }

    /** The topics read: alerts in full, dead letters and late payments only by their end offsets. */
    public record Topics(String alerts, String deadLetters, String late) {
        /** The topics of the contracts, as deployed. */
        public static Topics standard() {
            return new Topics(TopicContract.FRAUD_ALERTS.topic(), TopicContract.DEAD_LETTERS.topic(),
                    TopicContract.LATE_TRANSACTIONS.topic());
        }
    }

    public DashboardSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(postgres, "postgres");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(topics, "topics");
        kafkaClient = Map.copyOf(kafkaClient);
        flinkRestUrls = List.copyOf(flinkRestUrls);
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("the port must be between 0 and 65535, got " + port);
        }
        if (!kafkaClient.containsKey("bootstrap.servers")) {
            throw new IllegalArgumentException("the Kafka bootstrap servers are required");
        }
        if (window.compareTo(Duration.ofMinutes(1)) < 0 || window.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("the window must be between 1 minute and 1 day, got " + window);
        }
        if (refresh.compareTo(MIN_REFRESH) < 0) {
            throw new IllegalArgumentException("the refresh interval must be at least " + MIN_REFRESH.toMillis()
                    + " ms, got " + refresh.toMillis() + " ms");
        }
        if (latestAlerts < 1 || latestAlerts > MAX_LATEST_ALERTS) {
            throw new IllegalArgumentException("the number of latest alerts must be between 1 and " + MAX_LATEST_ALERTS
                    + ", got " + latestAlerts);
        }
    }
}
