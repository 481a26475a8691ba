package io.tributary.jobs.maintenance;

import io.tributary.jobs.warehouse.WarehouseTable;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.DataOperations;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.actions.RewriteDataFilesActionResult;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.flink.actions.Actions;

/**
 * Keeping the tables healthy while the sink writes. Both operations are Iceberg commits that
 * conflict with nothing the sink does: the sink only adds files, expiry only removes snapshots no
 * one reads any more, and compaction replaces files the sink never touches again, with a commit that
 * Iceberg retries on top of the sink's.
 */
public final class TableMaintenance {
    /** Iceberg's usual target for a data file: fewer, larger files make scans cheaper. */
    public static final long TARGET_FILE_SIZE = 128L * 1024 * 1024;

    /** The snapshot summary key in which Iceberg's Flink committers record their job. */
    private static final String FLINK_JOB_ID = "flink.job-id";
    /** The snapshot summary key that marks an account erasure's commit (never the account itself). */
    static final String ERASURE = "tributary.account-erasure";

    private TableMaintenance() {}

    /** What expiry removed. */
    public record Expired(int snapshotsBefore, int snapshotsAfter, int filesDeleted) {
        public String describe(String table) {
            return table + ": expired " + (snapshotsBefore - snapshotsAfter) + " of " + snapshotsBefore
                    + " snapshots, deleted " + filesDeleted + " files no snapshot uses";
        }
    }

    /**
     * Removes snapshots older than {@code retention}, keeping at least the newest {@code keep}, and
     * deletes the files only they used. Time travel reaches back no further than what is kept. The
     * streaming sink's newest commit and everything after it are always kept.
     */
    public static Expired expireSnapshots(Table table, Duration retention, int keep, Instant now) {
        if (keep < 1) {
            throw new IllegalArgumentException("At least one snapshot must be kept, got " + keep);
        }
        long cutoff = now.minus(retention).toEpochMilli();
        Snapshot sinkCommit = lastStreamingCommit(table);
        if (sinkCommit != null) {
            // After a restore the sink finds the last checkpoint it committed by walking back from the
            // current snapshot; without that snapshot it would commit the restored files again.
            cutoff = Math.min(cutoff, sinkCommit.timestampMillis());
        }
        return expireBefore(table, cutoff, keep);
    }

    /** Removes snapshots older than {@code cutoff} (epoch millis) but the newest {@code keep}, and the files only they used. */
    static Expired expireBefore(Table table, long cutoff, int keep) {
        int before = count(table);
        AtomicInteger deleted = new AtomicInteger();
        table.expireSnapshots()
                .expireOlderThan(cutoff)
                .retainLast(keep)
                .deleteWith(path -> {
                    table.io().deleteFile(path);
                    deleted.incrementAndGet();
                })
                .commit();
        table.refresh();
        return new Expired(before, count(table), deleted.get());
    }

    /**
     * The streaming sink's newest commit: the newest append that a Flink job committed (backfills
     * overwrite, compaction replaces), or an account erasure after it, which carries that append's
     * {@code flink.*} summary in its place ({@link AccountErasure}).
     */
    public static Snapshot lastStreamingCommit(Table table) {
        for (Snapshot s = table.currentSnapshot(); s != null; s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
            boolean sinkSummary = s.summary().containsKey(FLINK_JOB_ID);
            if (sinkSummary && (DataOperations.APPEND.equals(s.operation()) || s.summary().containsKey(ERASURE))) {
                return s;
            }
        }
        return null;
    }

    /** What compaction did. */
    public record Compacted(int filesBefore, int filesAfter) {
        public String describe(String table, Instant hour) {
            return table + ", hour " + hour + ": rewrote " + filesBefore + " data files as " + filesAfter;
        }
    }

    /**
     * Rewrites the small data files of one hour partition of an event table into files of about
     * {@link #TARGET_FILE_SIZE}, in one commit; the rows stay the same. Runs as a Flink batch job in
     * {@code env}.
     */
    public static Compacted compactHour(StreamExecutionEnvironment env, Table table, Instant hour) {
        if (table.spec().isUnpartitioned()) {
            throw new IllegalArgumentException(table.name() + " is not partitioned by hour; nothing to compact by hour");
        }
        Instant start = hour.truncatedTo(ChronoUnit.HOURS);
        Expression partition = Expressions.and(
                Expressions.greaterThanOrEqual(WarehouseTable.EVENT_TIME, start.toEpochMilli() * 1000L),
                Expressions.lessThan(WarehouseTable.EVENT_TIME, start.plus(Duration.ofHours(1)).toEpochMilli() * 1000L));
        RewriteDataFilesActionResult result = Actions.forTable(env, table).rewriteDataFiles()
                .filter(partition)
                .targetSizeInBytes(TARGET_FILE_SIZE)
                .execute();
        table.refresh();
        return new Compacted(result.deletedDataFiles().size(), result.addedDataFiles().size());
    }

    static int count(Table table) {
        int n = 0;
        for (Snapshot ignored : table.snapshots()) {
            n++;
        }
        return n;
    }
}
