package io.tributary.cli;

import io.tributary.jobs.backfill.Backfill;
import io.tributary.jobs.backfill.BackfillRange;
import io.tributary.jobs.warehouse.WarehouseCatalog;
import io.tributary.jobs.warehouse.WarehouseOptions;
import io.tributary.state.JobConfiguration;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tributary backfill --from T --to T}: recomputes the enriched table for a range of event time. */
@Command(name = Backfill.NAME, mixinStandardHelpOptions = true,
        description = {"Recomputes transactions_enriched for [--from, --to) of event time from raw_transactions, with"
                + " the enrichment job's own code in Flink batch mode, and replaces the range's hour partitions in one"
                + " commit. The range is widened to whole hours; it must have raw data, and warehouse-sink's committed"
                + " watermark of raw_transactions and transactions_enriched must have passed its end by the allowed"
                + " lateness. If the stream commits to those hours while it runs, it starts over (at most"
                + " tributary.backfill.commit-attempts times) and never replaces rows it did not read."})
final class BackfillCommand implements Callable<Integer> {
    @Option(names = "--from", required = true, paramLabel = "TIME", description = "Start of the range, e.g. 2026-11-27T10:00:00Z.")
    Instant from;

    @Option(names = "--to", required = true, paramLabel = "TIME", description = "End of the range (exclusive).")
    Instant to;

    @Option(names = Backfill.FORCE_UNMARKED_FLAG, description = "Backfill although raw_transactions or"
            + " transactions_enriched records no committed watermark (written by a warehouse-sink from before it"
            + " recorded one), on your word that the stream is done with the range. Never overrides a watermark that"
            + " has not passed the range.")
    boolean forceUnmarked;

    @Mixin
    ConfigurationOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        JobConfiguration resolved = options.resolve(WarehouseOptions.backfillOptions());
        Configuration conf = new Configuration(resolved.configuration());
        if (forceUnmarked) {
            conf.set(WarehouseOptions.BACKFILL_FORCE_UNMARKED, true);
        }
        WarehouseCatalog catalog = WarehouseCatalog.from(conf);
        BackfillRange range = BackfillRange.covering(from, to, Instant.now());
        PrintWriter out = spec.commandLine().getOut();
        out.println("Backfilling " + range + " in " + catalog.location());
        out.flush();
        // A batch job: the profile's checkpoint settings are not for it.
        Backfill.Report report = Backfill.run(catalog, range, resolved.withoutProfile(), conf, UnaryOperator.identity(),
                line -> {
                    out.println(line);
                    out.flush();
                });
        out.println(report.describe());
        out.flush();
        return 0;
    }
}
