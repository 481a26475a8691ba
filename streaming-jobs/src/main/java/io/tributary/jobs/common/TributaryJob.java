package io.tributary.jobs.common;

import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A job as every launcher sees it ({@code tributary run}, the application-mode entry point, the
 * local run, the benchmarks, the deployment checks): its name and options, its settings read from
 * the configuration, what must exist before it starts, and its wiring on Kafka. The job's class
 * implements it next to its static {@code build}, which tests call with sources and sinks of their
 * own (most through {@link CatalogJob}). Jobs are listed once, in {@code io.tributary.jobs.catalog.JobCatalog}.
 *
 * @param <S> the job's settings, read and checked once
 */
public interface TributaryJob<S> {
    /** The name, as in {@code tributary run NAME}, the Flink job name and the deployments. */
    String name();

    /** What the job does, for {@code --help}: one line each. */
    List<String> description();

    /** Every option the job reads; each is checked to parse at start-up and listed by {@code --help}. */
    List<ConfigOption<?>> options();

    /**
     * Reads and checks the settings.
     *
     * @throws IllegalArgumentException with one clear line for a missing or inconsistent setting
     */
    S settings(Configuration configuration, JobSecrets secrets);

    /**
     * Makes ready what the job needs before it starts (a database migration, tables), idempotently.
     *
     * @return what it did, for the start-up line, or null when there is nothing to say
     */
    default String preflight(S settings, JobSecrets secrets) throws Exception {
        return null;
    }

    /** Wires the job into {@code env}, on its Kafka sources and real sinks. */
    void wire(StreamExecutionEnvironment env, S settings);

    /** One line on where the job writes with these settings, printed when it starts. */
    String describe(S settings);

    /** What the job reads, writes and keeps with these settings. */
    JobFootprint footprint(S settings);
}
