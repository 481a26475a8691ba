package io.tributary.jobs.common;

import io.tributary.jobs.common.internal.KafkaAccessCheck;
import io.tributary.state.JobConfiguration;
import java.nio.file.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A job ready to execute: the one sequence every launcher follows, settings read from the resolved
 * configuration, its Kafka permissions checked ({@link KafkaOptions#ACCESS_CHECK}), pre-flight done,
 * execution environment created and the job wired into it.
 *
 * @param <S> the job's settings
 * @param job the job
 * @param settings its settings
 * @param environment the execution environment, with the job wired in
 * @param preflight what the pre-flight did, or null
 */
public record PreparedJob<S>(TributaryJob<S> job, S settings, StreamExecutionEnvironment environment, String preflight) {

    /**
     * Prepares {@code job}.
     *
     * @param localDirectory where the {@code local} profile keeps checkpoints
     */
    public static <S> PreparedJob<S> prepare(TributaryJob<S> job, JobConfiguration resolved, JobSecrets secrets,
            Path localDirectory) throws Exception {
        S settings = job.settings(resolved.configuration(), secrets);
        if (resolved.configuration().get(KafkaOptions.ACCESS_CHECK)) {
            KafkaAccessCheck.verify(job.footprint(settings));
        }
        String preflight = job.preflight(settings, secrets);
        StreamExecutionEnvironment environment = JobEnvironments.create(job.name(), resolved.configuration(), localDirectory);
        job.wire(environment, settings);
        return new PreparedJob<>(job, settings, environment, preflight);
    }

    /** What the job does with its settings, and what its pre-flight did: the start-up line. */
    public String summary() {
        return job.describe(settings) + (preflight == null ? "" : "; " + preflight);
    }
}
