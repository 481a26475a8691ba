package io.tributary.jobs.warehouse;

import io.tributary.jobs.warehouse.internal.CheckpointWatermarks;
import java.time.Instant;
import java.util.OptionalLong;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.table.data.RowData;
import org.apache.iceberg.Table;
import org.apache.iceberg.flink.TableLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records in a table how far in event time warehouse-sink has committed it ({@link
 * CommittedWatermark}), so that a backfill can tell whether the stream is done with an hour. Runs
 * with parallelism 1 beside the table's writers and receives no rows, only the watermark of all
 * their inputs (the minimum over the source's partitions). At each checkpoint barrier it notes the
 * watermark; when the table's committer has committed that checkpoint (its snapshot summary says
 * so), every row before the barrier is in the table and the watermark is published.
 *
 * <p>It keeps no state: after a restart it publishes again from the next checkpoint, and the marker
 * never moves back.
 */
final class CommittedWatermarkPublisher extends AbstractStreamOperator<Void> implements OneInputStreamOperator<RowData, Void> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CommittedWatermarkPublisher.class);

    private final TableLoader loader;
    private transient Table table;
    private transient String jobId;
    private transient CheckpointWatermarks barriers;
    private transient long watermark;

    CommittedWatermarkPublisher(TableLoader loader) {
        this.loader = loader;
    }

    @Override
    public void open() throws Exception {
        super.open();
        loader.open();
        table = loader.loadTable();
        jobId = getRuntimeContext().getJobInfo().getJobId().toString();
        barriers = new CheckpointWatermarks();
        watermark = Long.MIN_VALUE;
    }

    @Override
    public void processElement(StreamRecord<RowData> element) {
        // Rows are filtered out before they reach it; only the watermark matters.
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = Math.max(watermark, mark.getTimestamp());
        super.processWatermark(mark);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        barriers.barrier(context.getCheckpointId(), watermark);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        super.notifyCheckpointComplete(checkpointId);
        table.refresh();
        OptionalLong committed = barriers.committed(CommittedWatermark.lastCommittedCheckpoint(table, jobId));
        if (committed.isPresent() && committed.getAsLong() != Long.MAX_VALUE) {
            Instant at = Instant.ofEpochMilli(committed.getAsLong());
            try {
                CommittedWatermark.advance(table, at);
            } catch (RuntimeException e) {
                // A marker that lags is safe (a backfill waits longer); failing the job for it is not needed.
                LOG.warn("Could not record {} = {} on {}: {}", CommittedWatermark.PROPERTY, at, table.name(), e.toString());
            }
        }
    }

    @Override
    public void close() throws Exception {
        try {
            super.close();
        } finally {
            loader.close();
        }
    }
}
