package io.tributary.jobs.common;

import io.tributary.events.DeadLetter;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Splits what a source decoded: values and tombstones go on, dead letters go to {@link #DEAD_LETTERS}.
 */
public final class DeadLetterRouter<T> extends ProcessFunction<Decoded<T>, Decoded<T>> {
    private static final long serialVersionUID = 1L;

    /** Records that could not be processed. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    @Override
    public void processElement(Decoded<T> decoded, Context ctx, Collector<Decoded<T>> out) {
        if (decoded.isDeadLetter()) {
            ctx.output(DEAD_LETTERS, decoded.deadLetter);
        } else {
            out.collect(decoded);
        }
    }
}
