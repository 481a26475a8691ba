package io.tributary.dashboard.internal;

import java.util.List;

/**
 * Everything the page shows at one moment, sent to the browser as one JSON event. Times are epoch
 * milliseconds, which the page formats in the viewer's time zone.
 *
 * @param problems one line per source that could not be read this time (the rest of the page still
 *     updates); never personal data: they name the source and the kind of failure
 */
public record Snapshot(long generatedAt, long windowMinutes, MinuteBreakdown.Business business,
        AlertBoard.Alerts alerts, Health health, List<String> problems) {
    /** The pipeline's health. */
    public record Health(List<FlinkCheckpoints.JobCheckpoints> checkpoints, List<ConsumerLag.GroupLag> lag,
            List<KafkaHealth.TopicRate> rates) {}
}
