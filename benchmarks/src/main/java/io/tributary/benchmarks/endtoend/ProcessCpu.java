package io.tributary.benchmarks.endtoend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of a process and of each of its threads, read from {@code /proc/<pid>/stat} and
 * {@code /proc/<pid>/task/<tid>/stat} (user + system, in clock ticks), so that a measurement can
 * take the CPU a job used over the same window as its throughput, and say which threads used it.
 */
final class ProcessCpu {
    /** Linux reports CPU times in USER_HZ ticks, 100 a second on every architecture the JDK runs on. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    /** One reading: when it was taken (System.nanoTime), the process's ticks, each live thread's name and ticks. */
    record Sample(long atNanos, long processTicks, Map<Integer, ThreadTicks> threads) {}

    record ThreadTicks(String name, long ticks) {}

    /** A thread name and its share of the CPU the process used in a window. */
    record ThreadShare(String name, double share) {
        @Override
        public String toString() {
            return String.format("%s %.0f%%", name, share * 100);
        }
    }

    /** CPU used in a window, and the threads (grouped by name) that used the most of it. */
    record Window(Duration cpu, List<ThreadShare> topThreads) {
        static final Window NONE = new Window(Duration.ZERO, List.of());

        String topThreadsText() {
            return topThreads.isEmpty() ? "-"
                    : String.join(", ", topThreads.stream().map(ThreadShare::toString).toList());
        }
    }

    private ProcessCpu() {}

    /** A reading of {@code pid} now; null if the process is gone or /proc is not there (not Linux). */
    static Sample sample(long pid) {
        long now = System.nanoTime();
        Path proc = Path.of("/proc", String.valueOf(pid));
        try {
            long processTicks = ticks(Files.readString(proc.resolve("stat")));
            Map<Integer, ThreadTicks> threads = new HashMap<>();
            try (Stream<Path> tasks = Files.list(proc.resolve("task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    try {
                        String stat = Files.readString(task.resolve("stat"));
                        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                        threads.put(Integer.parseInt(task.getFileName().toString()),
                                new ThreadTicks(threadGroup(name), ticks(stat)));
                    } catch (NoSuchFileException e) {
                        // the thread ended while the others were read
                    }
                }
            }
            return new Sample(now, processTicks, threads);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The CPU used between the samples nearest {@code fromNanos} (the last one at or before it) and
     * {@code toNanos} (the first one at or after it, else the last), with the {@code top} thread
     * groups by CPU. A window shorter than the sampling interval (a tiny run whose results came in
     * one poll) is widened to the two samples around it. A thread that ended inside the window (the
     * job's task threads, when the harness stops the job right after its last result) counts with
     * its last reading in the window.
     */
    static Window between(List<Sample> samples, long fromNanos, long toNanos, int top) {
        if (samples.size() < 2 || fromNanos == 0 || toNanos < fromNanos) {
            return Window.NONE;
        }
        int first = 0;
        for (int i = 0; i < samples.size(); i++) {
            if (samples.get(i).atNanos() <= fromNanos) {
                first = i;
            }
        }
        int last = samples.size() - 1;
        for (int i = samples.size() - 1; i >= 0 && samples.get(i).atNanos() >= toNanos; i--) {
            last = i;
        }
        if (last <= first) {
            last = Math.min(first + 1, samples.size() - 1);
            first = last - 1;
        }
        return between(samples.subList(first, last + 1), top);
    }

    private static Window between(List<Sample> window, int top) {
        Sample first = window.get(0);
        long total = window.get(window.size() - 1).processTicks() - first.processTicks();
        // Each thread's latest reading in the window, so that one that ended in it still counts.
        Map<Integer, ThreadTicks> latest = new HashMap<>();
        window.forEach(sample -> latest.putAll(sample.threads()));
        Map<String, Long> byName = new HashMap<>();
        for (Map.Entry<Integer, ThreadTicks> t : latest.entrySet()) {
            ThreadTicks before = first.threads().get(t.getKey());
            long used = t.getValue().ticks() - (before == null ? 0 : before.ticks());
            byName.merge(t.getValue().name(), used, Long::sum);
        }
        List<ThreadShare> shares = new ArrayList<>();
        byName.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())).limit(top)
                .forEach(e -> shares.add(new ThreadShare(e.getKey(), total == 0 ? 0 : (double) e.getValue() / total)));
        return new Window(Duration.ofNanos(total * NANOS_PER_TICK), shares);
    }

    /**
     * A thread's name as Linux keeps it (the JVM's, cut to 15 characters) without its trailing
     * number, so that the threads of one kind count together: {@code GC Thread#1} and {@code GC
     * Thread#0} are both {@code GC Thread}.
     */
    static String threadGroup(String name) {
        String group = name.replaceAll("[\\s#()/_.:-]*[0-9]*[\\s#()/_.:-]*$", "");
        return group.isEmpty() ? name : group;
    }

    /** utime + stime of a stat line: fields 14 and 15, counted after the parenthesised name. */
    private static long ticks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // fields[0] is field 3 (state), so field 14 is fields[11] and field 15 fields[12].
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
