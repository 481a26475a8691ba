package io.tributary.cli;

import io.tributary.jobs.catalog.JobCatalog;
import io.tributary.jobs.catalog.Lineage;
import io.tributary.jobs.common.TributaryJob;
import io.tributary.jobs.warehouse.WarehouseOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.ConfigOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tributary lineage}: what each job reads and writes, from the job catalog, as OpenLineage or Mermaid. */
@Command(name = "lineage", mixinStandardHelpOptions = true,
        description = {"Prints the lineage of every job and the backfill (Kafka topics, Redis keys, PostgreSQL and"
                + " Iceberg tables), worked out by the jobs' own code from the configuration; where it names no server,"
                + " the development servers' usual addresses. --docs writes docs/lineage.json and docs/lineage.md."})
final class LineageCommand implements Callable<Integer> {
    enum Format { JSON, MERMAID }

    @Option(names = "--format", defaultValue = "JSON",
            description = "JSON (OpenLineage job events) or MERMAID (a flowchart); default: ${DEFAULT-VALUE}.")
    Format format;

    @Option(names = "--docs", paramLabel = "ROOT",
            description = "Write the documents under ROOT/docs instead of printing, e.g. --docs . from the repository root.")
    Path docsRoot;

    @Mixin
    ConfigurationOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<Lineage.Job> jobs = Lineage.jobs(Lineage.withLocalAddresses(options.resolve(knownOptions()).configuration()));
        PrintWriter out = spec.commandLine().getOut();
        if (docsRoot != null) {
            List<String> written = Lineage.writeDocuments(docsRoot, jobs, Instant.now());
            out.println(written.isEmpty() ? "The lineage documents are up to date." : "Wrote " + String.join(", ", written));
        } else {
            out.print(format == Format.JSON ? Lineage.json(jobs, Instant.now()) : Lineage.mermaid(jobs));
        }
        out.flush();
        return 0;
    }

    private static List<ConfigOption<?>> knownOptions() {
        Set<ConfigOption<?>> known = new LinkedHashSet<>();
        JobCatalog.all().stream().map(TributaryJob::options).forEach(known::addAll);
        known.addAll(WarehouseOptions.backfillOptions());
        return List.copyOf(known);
    }
}
