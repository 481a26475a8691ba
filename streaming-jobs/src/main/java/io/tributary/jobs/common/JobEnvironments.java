package io.tributary.jobs.common;

import io.tributary.state.StateOptions;
import java.nio.file.Path;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The execution environment of a job, from its resolved configuration. */
public final class JobEnvironments {
    private JobEnvironments() {}

    /**
     * Creates the environment: Flink's own settings come from the configuration as resolved by
     * {@code JobConfiguration}; records must have a serializer of their own (no Kryo fallback);
     * the {@code local} profile checkpoints under {@code localDirectory} unless told otherwise,
     * {@code production} requires a checkpoint directory.
     *
     * <p>Object reuse is on unless the configuration turns it off: without it Flink deep-copies every
     * record between chained operators, which cost the enrichment job a quarter of its CPU (see
     * benchmarks/README.md). In return every function must follow Flink's rule for it: never keep
     * an input record, or change one after emitting it, except through Flink state.
     */
    public static StreamExecutionEnvironment create(String jobName, Configuration configuration, Path localDirectory) {
        Configuration c = new Configuration(configuration);
        c.set(PipelineOptions.NAME, jobName);
        c.set(PipelineOptions.GENERIC_TYPES, false);
        if (!c.contains(PipelineOptions.OBJECT_REUSE)) {
            c.set(PipelineOptions.OBJECT_REUSE, true);
        }
        if (!c.contains(CheckpointingOptions.CHECKPOINTS_DIRECTORY)) {
            if (!"local".equals(c.get(StateOptions.PROFILE))) {
                throw new IllegalArgumentException(CheckpointingOptions.CHECKPOINTS_DIRECTORY.key()
                        + " is required with the " + c.get(StateOptions.PROFILE) + " profile, e.g. s3://bucket/checkpoints");
            }
            c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                    localDirectory.resolve("checkpoints").toAbsolutePath().toUri().toString());
        }
        if (!c.contains(CheckpointingOptions.SAVEPOINT_DIRECTORY)) {
            c.set(CheckpointingOptions.SAVEPOINT_DIRECTORY,
                    c.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY).replaceAll("/checkpoints/?$", "") + "/savepoints");
        }
        return StreamExecutionEnvironment.getExecutionEnvironment(c);
    }
}
