package io.tributary.jobs.backfill;

import io.tributary.jobs.warehouse.CommittedWatermark;
import io.tributary.jobs.warehouse.WarehouseTable;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Whether the stream is done with a backfill's range, judged by what warehouse-sink has committed
 * ({@link CommittedWatermark}) rather than by the clock: an hour may be replaced once the committed
 * watermark of both the table the backfill reads ({@code raw_transactions}) and the one it replaces
 * ({@code transactions_enriched}) has passed the range's end by the allowed lateness. Before that,
 * the stream may still commit rows to those hours: rows the backfill would not have read (lost from
 * the input) or would write a second time (the stream's copy appended after the backfill's).
 *
 * <p>A table without a marker was last written by a warehouse-sink from before it recorded one; the
 * backfill then cannot know, and runs only when the operator says so ({@link Backfill#FORCE_UNMARKED_FLAG}).
 */
final class BackfillGuard {
    private BackfillGuard() {}

    /**
     * Checks the range against each table's committed watermark.
     *
     * @param committed the marker of each table the backfill reads or replaces (empty: none recorded)
     * @param forceUnmarked run although a table has no marker (never although a marker is too early)
     * @return one line saying why the backfill may run, for the operator
     * @throws IllegalStateException with one line naming the table and the watermark seen, when it may not
     */
    static String check(BackfillRange range, Duration allowedLateness, Map<WarehouseTable, Optional<Instant>> committed,
            boolean forceUnmarked) {
        Instant needed = range.to().plus(allowedLateness);
        StringBuilder seen = new StringBuilder();
        StringBuilder unmarked = new StringBuilder();
        for (var entry : committed.entrySet()) {
            String table = entry.getKey().tableName();
            if (entry.getValue().isEmpty()) {
                unmarked.append(unmarked.isEmpty() ? "" : " and ").append(table);
                continue;
            }
            Instant watermark = entry.getValue().get();
            if (watermark.isBefore(needed)) {
                throw new IllegalStateException("Refusing to backfill " + range + ": warehouse-sink has committed "
                        + table + " up to watermark " + watermark + ", which has not passed the range's end "
                        + range.to() + " by the allowed lateness " + allowedLateness + " (it must reach " + needed
                        + "); the stream may still write those hours, try again once it has");
            }
            seen.append(seen.isEmpty() ? "" : ", ").append(table).append(" up to ").append(watermark);
        }
        if (!unmarked.isEmpty() && !forceUnmarked) {
            throw new IllegalStateException("Refusing to backfill " + range + ": " + unmarked + " record no committed"
                    + " watermark (table property " + CommittedWatermark.PROPERTY + ", which warehouse-sink records"
                    + " since it was upgraded), so whether the stream is done with those hours is unknown; if you know"
                    + " it is, run again with " + Backfill.FORCE_UNMARKED_FLAG);
        }
        String passed = seen.isEmpty() ? "" : "warehouse-sink has committed " + seen + ", past " + needed
                + " (the range's end plus the allowed lateness " + allowedLateness + ")";
        if (unmarked.isEmpty()) {
            return passed;
        }
        return "WARNING: " + unmarked + " record no committed watermark; backfilling " + range
                + " on the operator's word (" + Backfill.FORCE_UNMARKED_FLAG + ")" + (passed.isEmpty() ? "" : "; " + passed);
    }
}
