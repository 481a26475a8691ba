package io.tributary.cli.local;

import io.tributary.cli.Tributary;
import io.tributary.jobs.common.JobSecrets;
import io.tributary.jobs.common.KafkaOptions;
import io.tributary.jobs.common.PreparedJob;
import io.tributary.jobs.common.TributaryJob;
import io.tributary.jobs.pii.TokenizationKey;
import io.tributary.localstack.pipeline.LocalPipeline;
import io.tributary.state.JobConfiguration;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.util.NetUtils;

/**
 * The jobs of {@code tributary local}, started in-process from the job catalog as {@code tributary
 * run} starts them, on the local stack, with the run's fresh tokenization key handed over inline
 * (their operators run in this JVM). While the run produces, they are watched: a job that ends
 * before the run is over (it failed, or could not start) stops the run with its root cause, rather
 * than leaving the command producing into a pipeline that no longer runs.
 */
final class InProcessJobs {
    /** A job started, with what it was started with. */
    record Started<S>(PreparedJob<S> prepared, JobClient client) {}

    private final LocalPipeline pipeline;
    private final Path localDirectory;
    private final Duration checkpointInterval;
    private final JobSecrets secrets;
    private final Map<String, CompletableFuture<?>> results = new LinkedHashMap<>();
    private final List<URI> restEndpoints = new ArrayList<>();

    InProcessJobs(LocalPipeline pipeline, Path localDirectory, Duration checkpointInterval, TokenizationKey key) {
        this.pipeline = pipeline;
        this.localDirectory = localDirectory;
        this.checkpointInterval = checkpointInterval;
        this.secrets = JobSecrets.withInlineKey(key, Map.of());
    }

    /**
     * The options every local job runs with: the local stack's Kafka and registry, its checkpoint
     * interval, and a REST endpoint on a port chosen here (Flink's own choice for an in-process
     * cluster is a random port it does not report), so that the dashboard can read its checkpoints.
     */
    Configuration options(String groupId, int parallelism) {
        Configuration options = new Configuration();
        options.set(KafkaOptions.BOOTSTRAP_SERVERS, pipeline.kafka().bootstrapServers());
        options.set(KafkaOptions.REGISTRY_URL, pipeline.registry().url());
        options.set(KafkaOptions.GROUP_ID, groupId);
        options.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
        options.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
        options.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        options.set(RestOptions.ADDRESS, "127.0.0.1");
        try (NetUtils.Port port = NetUtils.getAvailablePort()) {
            options.set(RestOptions.BIND_PORT, Integer.toString(port.getPort()));
        } catch (Exception e) {
            throw new IllegalStateException("no free port for a job's REST endpoint: " + e.getMessage(), e);
        }
        return options;
    }

    /** Starts {@code job} with {@code options} over the local profile, and watches it. */
    synchronized <S> Started<S> start(TributaryJob<S> job, Configuration options) throws Exception {
        JobConfiguration resolved = JobConfiguration.resolve(null, options.toMap(), job.options());
        PreparedJob<S> prepared = PreparedJob.prepare(job, resolved, secrets, localDirectory);
        JobClient client = prepared.environment().executeAsync(job.name());
        results.put(job.name(), client.getJobExecutionResult());
        restEndpoints.add(URI.create("http://127.0.0.1:" + options.get(RestOptions.BIND_PORT) + "/"));
        return new Started<>(prepared, client);
    }

    /** The REST endpoint of each started job's in-process cluster. */
    synchronized List<URI> restEndpoints() {
        return List.copyOf(restEndpoints);
    }

    /** Throws, naming the job and its root cause, if a started job has ended. */
    synchronized void throwIfOneEnded() {
        results.forEach((name, result) -> {
            if (result.isDone()) {
                Throwable cause = null;
                try {
                    result.join();
                } catch (CompletionException | CancellationException e) {
                    cause = e.getCause() != null ? e.getCause() : e;
                }
                throw new IllegalStateException(name + (cause == null ? " ended early"
                        : " failed: " + Tributary.rootCause(cause)), cause);
            }
        });
    }
}
