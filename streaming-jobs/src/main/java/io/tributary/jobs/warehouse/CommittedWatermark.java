package io.tributary.jobs.warehouse;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * How far in event time warehouse-sink has committed a table: the table property
 * {@value #PROPERTY}, an instant such that every row the stream had for event times up to it (give
 * or take the rows that came later than the watermark, which the allowed lateness covers) was in a
 * committed snapshot when the property was set. It only moves forward.
 *
 * <p>A table property rather than a snapshot summary entry: Iceberg's Flink sink takes fixed
 * snapshot properties only, and the watermark is known per checkpoint. The marker is written after
 * the data commit it describes ({@link CommittedWatermarkPublisher}), so it can lag the data but
 * never run ahead of it, which is the side a backfill needs to be safe on.
 */
public final class CommittedWatermark {
    /** The table property holding the marker, an ISO-8601 instant. */
    public static final String PROPERTY = "tributary.committed-watermark";
    /** The snapshot summary entries of Iceberg's Flink committers (the job and its last checkpoint committed). */
    static final String FLINK_JOB_ID = "flink.job-id";
    static final String FLINK_MAX_COMMITTED_CHECKPOINT = "flink.max-committed-checkpoint-id";

    private CommittedWatermark() {}

    /**
     * The table's marker; empty where none was ever recorded (a table written before warehouse-sink
     * recorded one).
     *
     * @throws IllegalStateException naming the table when the property holds no instant
     */
    public static Optional<Instant> of(Table table) {
        String value = table.properties().get(PROPERTY);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(value));
        } catch (DateTimeParseException e) {
            throw new IllegalStateException(table.name() + " has " + PROPERTY + " = '" + value
                    + "', which is not an ISO-8601 instant");
        }
    }

    /**
     * Sets the marker to {@code watermark} unless it is already at or past it; returns whether it
     * moved. One writer per table (the sink's publisher), so reading then setting is enough.
     */
    public static boolean advance(Table table, Instant watermark) {
        table.refresh();
        Optional<Instant> current = of(table);
        if (current.isPresent() && !current.get().isBefore(watermark)) {
            return false;
        }
        table.updateProperties().set(PROPERTY, watermark.toString()).commit();
        return true;
    }

    /**
     * The newest checkpoint that the Flink job {@code jobId} committed to the table (from the
     * committer's snapshot summary), or -1 when it committed none that is still in the table's history.
     */
    public static long lastCommittedCheckpoint(Table table, String jobId) {
        for (Snapshot s = table.currentSnapshot(); s != null;
                s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
            String checkpoint = s.summary().get(FLINK_MAX_COMMITTED_CHECKPOINT);
            if (jobId.equals(s.summary().get(FLINK_JOB_ID)) && checkpoint != null) {
                return Long.parseLong(checkpoint);
            }
        }
        return -1;
    }
}
