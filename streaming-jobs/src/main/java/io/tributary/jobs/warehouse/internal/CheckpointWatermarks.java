package io.tributary.jobs.warehouse.internal;

import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The watermark a table's rows had reached at each checkpoint barrier, kept until the table's
 * committer has committed that checkpoint: then every row before the barrier is in the table, and
 * the watermark seen at the barrier may be published as committed.
 *
 * <p>Why wait for the commit rather than for the checkpoint to complete: Flink notifies operators of
 * a completed checkpoint in no particular order, so the committer may not have committed it yet, or
 * may fail to; and an Iceberg committer skips checkpoints without data, committing them later with
 * one that has some. Publishing only what a commit covers keeps the marker behind the data.
 */
public final class CheckpointWatermarks {
    private final NavigableMap<Long, Long> atBarrier = new TreeMap<>();

    /** Records the watermark (epoch millis) when checkpoint {@code checkpointId}'s barrier passed. */
    public void barrier(long checkpointId, long watermark) {
        atBarrier.put(checkpointId, watermark);
    }

    /**
     * The table holds every checkpoint up to {@code checkpointId}: the watermark of the newest such
     * barrier, if any is pending and has a watermark at all. Those barriers are forgotten.
     */
    public OptionalLong committed(long checkpointId) {
        NavigableMap<Long, Long> covered = atBarrier.headMap(checkpointId, true);
        Map.Entry<Long, Long> newest = covered.lastEntry();
        covered.clear();
        return newest == null || newest.getValue() == Long.MIN_VALUE ? OptionalLong.empty()
                : OptionalLong.of(newest.getValue());
    }
}
