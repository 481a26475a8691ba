package io.tributary.jobs.common.store;

import io.tributary.events.DeadLetter;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Writes a stream's rows to a store ({@link StoreSink}) and emits, as dead letters, the rows the
 * store refuses one by one ({@link RejectedRow}), for the job's dead-letter sink.
 *
 * <p>Why not a Flink {@code Sink}: a sink's writer has no output, so a refused row could reach the
 * dead-letter topic only through a producer of its own, outside the job's exactly-once transactions.
 * This operator flushes its writer in {@link #prepareSnapshotPreBarrier}, as Flink's sink writer
 * does, and what it emits there precedes the checkpoint's barrier: a refused row's dead letter is
 * committed by the same checkpoint as the writes beside it, once, also across restarts.
 */
public final class StoreWriteOperator<T> extends AbstractStreamOperator<DeadLetter>
        implements OneInputStreamOperator<T, DeadLetter>, BoundedOneInput {
    private static final long serialVersionUID = 1L;

    private final StoreSink<T> sink;
    private final String job;
    private final String sourceTopic;
    private transient StoreWriter<T> writer;
    private transient Counter deadLetters;

    private StoreWriteOperator(StoreSink<T> sink, String job, String sourceTopic) {
        this.sink = sink;
        this.job = job;
        this.sourceTopic = sourceTopic;
    }

    /**
     * Writes {@code rows} to {@code sink} in an operator named {@code name} with uid {@code uid}, at
     * the rows' parallelism.
     *
     * @param job the job's name, for the dead letters
     * @param sourceTopic the input the rows are computed from, for the dead letters
     * @return the dead letters of the rows the store refused
     */
    public static <T> DataStream<DeadLetter> write(DataStream<T> rows, StoreSink<T> sink, String job, String sourceTopic,
            String name, String uid) {
        return rows.transform(name, TypeInformation.of(DeadLetter.class), new StoreWriteOperator<>(sink, job, sourceTopic))
                .uid(uid).setParallelism(rows.getParallelism());
    }

    @Override
    public void open() throws Exception {
        super.open();
        // Flat name (no subgroup), as the deploy checks read it from the code.
        deadLetters = getMetricGroup().counter("storeDeadLetters");
        writer = sink.createWriter(getMetricGroup(), this::reject);
    }

    @Override
    public void processElement(StreamRecord<T> element) throws Exception {
        writer.write(element.getValue());
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        writer.flush();
    }

    @Override
    public void endInput() throws Exception {
        writer.flush();
    }

    @Override
    public void close() throws Exception {
        if (writer != null) {
            writer.close();
        }
        super.close();
    }

    private void reject(RejectedRow row) {
        deadLetters.inc();
        output.collect(new StreamRecord<>(row.deadLetter(sourceTopic, job)));
    }
}
