package io.tributary.testing;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;

/** Ends a test's job without hiding how it ended. */
public final class JobStops {
    /** How long a cancelled job may take to stop its tasks and its checkpointing. */
    private static final Duration CANCEL_TIMEOUT = Duration.ofMinutes(1);

    private JobStops() {}

    /**
     * Cancels the job unless it has ended: a failed job has shut its mini-cluster down, and cancelling
     * it would hide why. Returns once the job has ended, not when the cancellation was accepted, so
     * that no checkpoint is still writing into the test's temporary directory while JUnit deletes it.
     */
    public static void cancelUnlessEnded(JobClient job) throws Exception {
        if (!job.getJobExecutionResult().isDone()) {
            job.cancel().get();
            try {
                job.getJobExecutionResult().get(CANCEL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException cancelled) {
                // The result of a cancelled job is its cancellation: what was awaited is that it ended.
            }
        }
    }
}
