package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.Callable;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.JobException;
import org.apache.flink.runtime.client.JobExecutionException;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.SerializedThrowable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

/** A job that fails prints its root cause on one line, not Flink's "Job execution failed.". */
class JobFailureTest {
    /** Throws what Flink's {@code env.execute()} throws when a job fails for good. */
    @Command(name = "failing-job")
    static final class FailingAsFlinkReportsIt implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            throw new JobExecutionException(new JobID(), "Job execution failed.",
                    new JobException("Recovery is suppressed by NoRestartBackoffTimeStrategy",
                            new IllegalStateException("No FX rate for XYZ\nat 2026-11-27T10:00:00Z")));
        }
    }

    /** Runs a one-record job in-process whose map throws. */
    @Command(name = "tiny-job")
    static final class TinyFailingJob implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            Configuration conf = new Configuration();
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.setParallelism(1);
            env.fromData(1).map(new Throwing()).sinkTo(new DiscardingSink<>());
            env.execute("tiny-job");
            return 0;
        }
    }

    static final class Throwing implements MapFunction<Integer, Integer> {
        @Override
        public Integer map(Integer value) {
            throw new IllegalArgumentException("record " + value + " is poison");
        }
    }

    @Test
    void aFailedJobPrintsItsRootCauseOnOneLine() {
        CliRun run = CliRun.of(Tributary.commandLine(new FailingAsFlinkReportsIt()), "failing-job");

        assertThat(run.exitCode()).isEqualTo(Tributary.FAILED);
        assertThat(run.errLines()).containsExactly(
                "tributary: failing-job failed: IllegalStateException: No FX rate for XYZ at 2026-11-27T10:00:00Z");
    }

    @Test
    void aJobThatFailsInProcessPrintsTheExceptionOfItsOperator() {
        CliRun run = CliRun.of(Tributary.commandLine(new TinyFailingJob()), "tiny-job");

        assertThat(run.exitCode()).isEqualTo(Tributary.FAILED);
        assertThat(run.errLines())
                .containsExactly("tributary: tiny-job failed: IllegalArgumentException: record 1 is poison");
    }

    @Test
    void aRootCauseFlinkCouldNotDeserializeKeepsItsOriginalClass() {
        Exception failure = new JobExecutionException(new JobID(), "Job execution failed.",
                new SerializedThrowable(new IllegalStateException("boom")));

        assertThat(Tributary.rootCause(failure)).isEqualTo("java.lang.IllegalStateException: boom");
        assertThat(Tributary.rootCause(new JobExecutionException(new JobID(), "Job execution failed.",
                new NullPointerException()))).isEqualTo("NullPointerException");
    }
}
