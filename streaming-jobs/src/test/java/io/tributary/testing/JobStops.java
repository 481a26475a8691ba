package io.tributary.testing;

import org.apache.flink.core.execution.JobClient;

/** Ends a test's job without hiding how it ended. */
public final class JobStops {
    private JobStops() {}

    /** Cancels the job unless it has ended: a failed job has shut its mini-cluster down, and cancelling it would hide why. */
    public static void cancelUnlessEnded(JobClient job) throws Exception {
        if (!job.getJobExecutionResult().isDone()) {
            job.cancel().get();
        }
    }
}
