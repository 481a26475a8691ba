package io.tributary.benchmarks;

import io.tributary.benchmarks.chaos.ChaosCommand;
import io.tributary.benchmarks.endtoend.EndToEndBenchmark;
import io.tributary.benchmarks.warehouse.BackfillBenchmark;
import java.util.Arrays;
import picocli.CommandLine;

/**
 * Entry point of {@code benchmarks/run}: {@code end-to-end} measures the jobs against the machine's
 * ceilings; {@code backfill} the batch recomputation of the enriched table; {@code chaos} kills the enrichment's
 * TaskManager while payments flow and checks nothing is lost or duplicated; {@code jmh} runs the per-operator micro-benchmarks (any JMH option follows).
 */
public final class Benchmarks {
    private Benchmarks() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("jmh")) {
            org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
        } else if (args.length > 0 && args[0].equals("backfill")) {
            System.exit(new CommandLine(new BackfillBenchmark()).execute(Arrays.copyOfRange(args, 1, args.length)));
        } else if (args.length > 0 && args[0].equals("chaos")) {
            System.exit(new CommandLine(new ChaosCommand()).execute(Arrays.copyOfRange(args, 1, args.length)));
        } else if (args.length > 0 && args[0].equals("end-to-end")) {
            System.exit(new CommandLine(new EndToEndBenchmark()).execute(Arrays.copyOfRange(args, 1, args.length)));
        } else {
            System.err.println("usage: benchmarks/run end-to-end [--records N] [--latency-seconds S] [--quick]"
                    + " | benchmarks/run backfill [--records N] [--hours H]"
                    + " | benchmarks/run chaos [--payments N] [--seed S] [--kills K] [--registry-outage 30s]"
                    + " | benchmarks/run jmh [JMH options, e.g. -f 1 -wi 3 -i 5]");
            System.exit(2);
        }
    }
}
