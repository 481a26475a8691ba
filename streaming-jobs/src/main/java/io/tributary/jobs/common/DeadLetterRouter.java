package io.tributary.jobs.common;

import io.tributary.events.DeadLetter;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
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

    /**
     * Routes what a source decoded, at the source's parallelism, in the operator "{@code input} dead
     * letters" with uid "{@code input}-dead-letter-router"; the dead letters are its side output
     * {@link #DEAD_LETTERS}.
     *
     * @param input the input's name, lower-case with dashes, e.g. {@code fx-rates}
     */
    public static <T> SingleOutputStreamOperator<Decoded<T>> split(DataStream<Decoded<T>> decoded,
            TypeInformation<Decoded<T>> type, String input) {
        return decoded.process(new DeadLetterRouter<>(), type).name(input.replace('-', ' ') + " dead letters")
                .uid(input + "-dead-letter-router").setParallelism(decoded.getParallelism());
    }

    @Override
    public void processElement(Decoded<T> decoded, Context ctx, Collector<Decoded<T>> out) {
        if (decoded.isDeadLetter()) {
            ctx.output(DEAD_LETTERS, decoded.deadLetter);
        } else {
            out.collect(decoded);
        }
    }
}
