package io.tributary.dashboard.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Takes a {@link Snapshot} from every source at once. A source that fails leaves its part empty and
 * adds a line to the snapshot's problems, so that PostgreSQL being away does not stop the alerts
 * from updating, nor the other way round.
 */
public final class SnapshotSource {
    private final MinuteRows minuteRows;
    private final AlertBoard alerts;
    private final AlertFeed alertFeed;
    private final KafkaHealth kafka;
    private final FlinkCheckpoints flink;
    private final Duration window;

    public SnapshotSource(MinuteRows minuteRows, AlertBoard alerts, AlertFeed alertFeed, KafkaHealth kafka,
            FlinkCheckpoints flink, Duration window) {
        this.minuteRows = minuteRows;
        this.alerts = alerts;
        this.alertFeed = alertFeed;
        this.kafka = kafka;
        this.flink = flink;
        this.window = window;
    }

    public Snapshot take(Instant now) {
        List<String> problems = new ArrayList<>();
        MinuteBreakdown.Business business;
        try {
            business = MinuteBreakdown.of(minuteRows.since(MinuteBreakdown.windowStart(now, window)));
        } catch (Exception e) {
            problems.add("PostgreSQL live_metrics_minute: " + oneLine(e));
            business = MinuteBreakdown.of(List.of());
        }
        if (alertFeed.problem() != null) {
            problems.add(alertFeed.problem());
        }
        KafkaHealth.Sample sample;
        try {
            sample = kafka.sample(now);
        } catch (Exception e) {
            problems.add("Kafka consumer lag and topic rates: " + oneLine(e));
            sample = new KafkaHealth.Sample(List.of(), List.of());
        }
        var checkpoints = flink.read(now, problems::add);
        return new Snapshot(now.toEpochMilli(), window.toMinutes(), business, alerts.view(now),
                new Snapshot.Health(checkpoints, sample.lag(), sample.rates()), problems);
    }

    /** The exception's kind and message on one line; a wrapper's cause says more than the wrapper. */
    static String oneLine(Throwable e) {
        Throwable shown = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
        String message = shown.getMessage();
        return (shown.getClass().getSimpleName() + (message == null ? "" : ": " + message)).replaceAll("\\s*\\R\\s*", " ");
    }
}
