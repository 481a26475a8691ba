package io.tributary.benchmarks.endtoend;

import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The ceilings of a run as the table reports them: each measured before and after the jobs, and
 * reported as the median of its runs, so that neither a cold start nor a machine that got busier
 * during the run sets the bar the jobs are compared with. The note keeps every run's rate, which
 * shows how much the machine drifted. With {@code --ceilings-once} (a smoke test) each is measured
 * once, before the jobs, and the table says so.
 */
final class Ceilings {
    private Ceilings() {}

    /** One row for the runs of one ceiling: the medians of their rates and CPU, the highest memory. */
    static EndToEndBenchmark.Row median(List<EndToEndBenchmark.Row> runs) {
        EndToEndBenchmark.Row last = runs.get(runs.size() - 1);
        String rates = runs.stream().map(r -> String.format("%,.0f", r.perSecond())).collect(Collectors.joining(", "));
        String failed = runs.stream().map(EndToEndBenchmark.Row::note)
                .filter(note -> note.startsWith("EXIT") || note.startsWith("ONLY")).findFirst().orElse(null);
        String note = failed != null ? failed
                : runs.size() == 1 ? String.format("measured once (%s/s, before the jobs)", rates)
                : String.format("median of %d runs (%s/s, before and after the jobs)", runs.size(), rates);
        return new EndToEndBenchmark.Row(last.what(), last.guarantee(), last.checkpoint(), last.load(), 0,
                last.results(), median(runs, EndToEndBenchmark.Row::perSecond),
                median(runs, EndToEndBenchmark.Row::secondHalfPerSecond), null,
                runs.stream().mapToLong(EndToEndBenchmark.Row::peakRssMib).max().orElse(0),
                median(runs, EndToEndBenchmark.Row::cpuMicrosPerResult), busiestThreads(runs), note);
    }

    /** The busiest threads of the last run that has them (none for the harness's own Kafka copy). */
    private static String busiestThreads(List<EndToEndBenchmark.Row> runs) {
        String threads = "-";
        for (EndToEndBenchmark.Row run : runs) {
            threads = run.topThreads().equals("-") ? threads : run.topThreads();
        }
        return threads;
    }

    static double median(List<EndToEndBenchmark.Row> runs, ToDoubleFunction<EndToEndBenchmark.Row> value) {
        double[] values = runs.stream().mapToDouble(value).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }
}
