package io.tributary.jobs.common;

import io.tributary.events.DeadLetter;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
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

    /**
     * Reads an input as the operator "{@code input} source" with uid "{@code input}-source", the
     * names every job's savepoints know its sources by, and {@linkplain #split splits} it.
     *
     * @param input the input's name, lower-case with dashes, e.g. {@code enriched-payments}
     */
    public static <T> SingleOutputStreamOperator<Decoded<T>> read(StreamExecutionEnvironment env,
            Source<Decoded<T>, ?, ?> source, WatermarkStrategy<Decoded<T>> watermarks, TypeInformation<Decoded<T>> type,
            String input) {
        return split(fromSource(env, source, watermarks, type, input), type, input);
    }

    /**
     * As {@link #read}, with one reader: for a small reference input (a compacted topic, the FX
     * rates) of one to three partitions, where more readers would have no partition to read.
     */
    public static <T> SingleOutputStreamOperator<Decoded<T>> readReference(StreamExecutionEnvironment env,
            Source<Decoded<T>, ?, ?> source, WatermarkStrategy<Decoded<T>> watermarks, TypeInformation<Decoded<T>> type,
            String input) {
        return split(fromSource(env, source, watermarks, type, input).setParallelism(1), type, input);
    }

    private static <T> SingleOutputStreamOperator<Decoded<T>> fromSource(StreamExecutionEnvironment env,
            Source<Decoded<T>, ?, ?> source, WatermarkStrategy<Decoded<T>> watermarks, TypeInformation<Decoded<T>> type,
            String input) {
        return env.fromSource(source, watermarks, input.replace('-', ' ') + " source", type).uid(input + "-source");
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
