package io.tributary.jobs.catalog;

import io.tributary.jobs.common.TributaryJob;
import io.tributary.jobs.enrichment.TransactionsEnrichmentJob;
import io.tributary.jobs.fraud.FraudDetectionJob;
import io.tributary.jobs.metrics.LiveMetricsJob;
import io.tributary.jobs.warehouse.WarehouseSinkJob;
import java.util.List;

/**
 * The streaming jobs, listed once: {@code tributary run}, the application-mode entry point, the
 * local run, the benchmarks and the deployment checks all read them here. Adding a job is its class
 * (a {@link TributaryJob}) and a line below.
 */
public final class JobCatalog {
    private static final List<TributaryJob<?>> JOBS = List.of(new TransactionsEnrichmentJob(), new FraudDetectionJob(),
            new LiveMetricsJob(), new WarehouseSinkJob());

    private JobCatalog() {}

    /** Every job, in the order of DESIGN.md. */
    public static List<TributaryJob<?>> all() {
        return JOBS;
    }

    /** The names of the jobs. */
    public static List<String> names() {
        return JOBS.stream().map(TributaryJob::name).toList();
    }

    /**
     * The job called {@code name}.
     *
     * @throws IllegalArgumentException listing the jobs when there is none of that name
     */
    public static TributaryJob<?> named(String name) {
        return JOBS.stream().filter(j -> j.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown job '" + name + "'; jobs are " + names()));
    }
}
