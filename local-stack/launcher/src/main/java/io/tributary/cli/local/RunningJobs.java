package io.tributary.cli.local;

import io.tributary.cli.Tributary;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.flink.core.execution.JobClient;

/**
 * The jobs {@code tributary local} started in-process, watched while it produces: a job that ends
 * before the run is over (it failed, or could not start) stops the run with its root cause, rather
 * than leaving the command producing into a pipeline that no longer runs.
 */
final class RunningJobs {
    private final Map<String, CompletableFuture<?>> results = new LinkedHashMap<>();

    /** Watches {@code job}, started under {@code name}. */
    synchronized JobClient watch(String name, JobClient job) {
        results.put(name, job.getJobExecutionResult());
        return job;
    }

    /** Throws, naming the job and its root cause, if a watched job has ended. */
    synchronized void throwIfOneEnded() {
        results.forEach((name, result) -> {
            if (result.isDone()) {
                Throwable cause = null;
                try {
                    result.join();
                } catch (CompletionException | java.util.concurrent.CancellationException e) {
                    cause = e.getCause() != null ? e.getCause() : e;
                }
                throw new IllegalStateException(name + (cause == null ? " ended early"
                        : " failed: " + Tributary.rootCause(cause)), cause);
            }
        });
    }
}
