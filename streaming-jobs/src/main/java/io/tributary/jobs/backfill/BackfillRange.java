package io.tributary.jobs.backfill;

import io.tributary.jobs.warehouse.WarehouseTable;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;

/**
 * The event-time range a backfill recomputes, {@code [from, to)}, in whole hours: the enriched
 * table is partitioned by hour, and a partition is replaced whole, so a range that cut one would
 * lose the rows outside it. A range given mid-hour is widened to the hours it touches.
 */
public record BackfillRange(Instant from, Instant to) {

    /**
     * The hours that {@code [from, to)} touches.
     *
     * @param now the range may not end after it: the stream is still writing the hours ahead
     * @throws IllegalArgumentException with one clear line for an empty, reversed or future range
     */
    public static BackfillRange covering(Instant from, Instant to, Instant now) {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("The backfill range is empty: --from " + from + " is not before --to " + to);
        }
        if (to.isAfter(now)) {
            throw new IllegalArgumentException("The backfill range ends in the future (--to " + to + ", now " + now
                    + "): the stream is still writing those hours");
        }
        Instant start = from.truncatedTo(ChronoUnit.HOURS);
        Instant end = to.truncatedTo(ChronoUnit.HOURS);
        if (end.isBefore(to)) {
            end = end.plus(Duration.ofHours(1));
        }
        if (end.isAfter(now)) {
            throw new IllegalArgumentException("The backfill range ends in an hour that is not over (" + end
                    + "): the stream is still writing it; end the range at " + end.minus(Duration.ofHours(1)) + " or earlier");
        }
        return new BackfillRange(start, end);
    }

    /** The raw rows of the range; on hour boundaries, so it selects whole partitions. */
    Expression rawFilter() {
        return Expressions.and(
                Expressions.greaterThanOrEqual(WarehouseTable.EVENT_TIME, from.toEpochMilli() * 1000L),
                Expressions.lessThan(WarehouseTable.EVENT_TIME, to.toEpochMilli() * 1000L));
    }

    Duration length() {
        return Duration.between(from, to);
    }

    @Override
    public String toString() {
        return "[" + from + ", " + to + ")";
    }
}
