package io.tributary.benchmarks.chaos;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The outcome of a chaos run: the faults injected, and the outputs compared with the oracle. An
 * event counts as delivered when it came out enriched or late (the job judges lateness by its
 * watermark, which restarts move); it is lost when it came out nowhere, duplicated for every time
 * beyond the first it came out anywhere, unexpected when the input never had it.
 *
 * @param faults what was injected, in order
 * @param recordsIn payment records written
 * @param expected the event ids that must come out once each
 * @param extra event ids written after the measured input only to move the watermark: may come out, are not counted
 * @param expectedReasons rejected records written (payments and reference data), each of which must
 *     become one dead letter, by the reason it must give
 * @param enriched how often each event id came out enriched
 * @param late how often each event id came out late
 * @param deadLetters how often each source record (topic/partition/offset) came out as a dead letter
 * @param reasons dead letters by reason
 * @param undecodable output records the oracle could not decode
 * @param downstream what fraud-detection and live-metrics made of the enriched output
 * @param warehouse what warehouse-sink committed of the input, the enriched output and the alerts
 * @param canaries where the canary payments' clear card number and e-mail address were found
 * @param settledAfter how long after the input was written every check first held, if it did within {@code settle}
 * @param settle how long the run waited for that at most; the counts are taken after it either way
 */
record ChaosReport(List<Fault> faults, long recordsIn, Set<String> expected, Set<String> extra,
        Map<String, Long> expectedReasons, Map<String, Integer> enriched, Map<String, Integer> late,
        Map<String, Integer> deadLetters, Map<String, Long> reasons, long undecodable, DownstreamReport downstream,
        WarehouseReport warehouse, CanaryReport canaries, Optional<Duration> settledAfter, Duration settle) {

    /** Expected events that came out nowhere. */
    long lost() {
        return expected.stream().filter(id -> !enriched.containsKey(id) && !late.containsKey(id)).count();
    }

    /** Outputs beyond the first of each event, enriched and late together. */
    long duplicated() {
        Set<String> ids = new HashSet<>(enriched.keySet());
        ids.addAll(late.keySet());
        return ids.stream().mapToLong(id -> enriched.getOrDefault(id, 0) + late.getOrDefault(id, 0) - 1).sum();
    }

    /** Events that came out although the input never had them. */
    long unexpected() {
        Set<String> ids = new HashSet<>(enriched.keySet());
        ids.addAll(late.keySet());
        return ids.stream().filter(id -> !expected.contains(id) && !extra.contains(id)).count();
    }

    /** Rejected records written, each of which must become one dead letter. */
    long expectedDeadLetters() {
        return expectedReasons.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Rejected records without a dead letter. */
    long deadLettersLost() {
        return Math.max(0, expectedDeadLetters() - deadLetters.size());
    }

    /** Dead letters beyond the first of each source record. */
    long deadLettersDuplicated() {
        return beyondFirst(deadLetters);
    }

    /** Source records dead-lettered beyond those the input rejects: valid records sent to the DLQ. */
    long deadLettersUnexpected() {
        return Math.max(0, deadLetters.size() - expectedDeadLetters());
    }

    /** Whether nothing was lost, duplicated or made up. */
    boolean clean() {
        return lost() == 0 && duplicated() == 0 && unexpected() == 0 && deadLettersLost() == 0
                && deadLettersDuplicated() == 0 && deadLettersUnexpected() == 0 && reasons.equals(expectedReasons)
                && undecodable == 0
                && downstream.clean() && warehouse.clean() && canaries.clean();
    }

    /**
     * The report as Markdown tables: faults, then counts per output, dead letters by reason, then
     * the downstream jobs' checks and the canary search.
     */
    String table() {
        StringBuilder out = new StringBuilder();
        out.append("| # | fault | at | detail |\n|---:|---|---:|---|\n");
        for (int i = 0; i < faults.size(); i++) {
            Fault f = faults.get(i);
            out.append(String.format("| %d | %s | %.1f s | %s |%n", i + 1, f.kind(), f.at().toMillis() / 1000.0, f.detail()));
        }
        out.append(String.format("%nRecords in: %,d payment records (%,d unique valid events); %,d records, payments and"
                + " reference data, rejected by design%n%n", recordsIn, expected.size(), expectedDeadLetters()));
        out.append("| output | found | expected | lost | duplicated | unexpected |\n|---|---:|---:|---:|---:|---:|\n");
        out.append(row("enriched + late", distinct(), expected.size(), lost(), duplicated(), unexpected()));
        out.append(row("  of which enriched", measured(enriched), -1, -1, beyondFirst(enriched), -1));
        out.append(row("  of which late", measured(late), -1, -1, beyondFirst(late), -1));
        out.append(row("dead letters", deadLetters.size(), expectedDeadLetters(), deadLettersLost(), deadLettersDuplicated(),
                deadLettersUnexpected()));
        out.append(String.format("%n| dead-letter reason | found | expected |%n|---|---:|---:|%n"));
        Set<String> allReasons = new TreeSet<>(expectedReasons.keySet());
        allReasons.addAll(reasons.keySet());
        allReasons.forEach(reason -> out.append(String.format("| %s | %,d | %,d |%n", reason,
                reasons.getOrDefault(reason, 0L), expectedReasons.getOrDefault(reason, 0L))));
        out.append('\n').append(downstream.table());
        out.append('\n').append(warehouse.table());
        out.append('\n').append(canaries.table());
        out.append(String.format("%nNot counted: %,d tail events written after the input to move the watermark on%n",
                extra.size()));
        out.append(settledAfter.map(d -> String.format("%nEvery check held %.0f s after the input was written%n",
                d.toMillis() / 1000.0)).orElse(String.format("%nNOT SETTLED: the checks did not all hold within %d s of the"
                + " input being written (downstream jobs still catching up?); the counts above were taken after it%n",
                settle.toSeconds())));
        if (undecodable > 0) {
            out.append(String.format("%nOutput records the oracle could not decode: %,d%n", undecodable));
        }
        out.append(String.format("%nResult: %s%n", clean() ? "nothing lost, duplicated or made up"
                : "FAILED: something was lost, duplicated or made up, or clear personal data leaked"));
        return out.toString();
    }

    private long distinct() {
        Set<String> ids = new HashSet<>(enriched.keySet());
        ids.addAll(late.keySet());
        ids.retainAll(expected);
        return ids.size();
    }

    /** Distinct expected events in one output (the tail left out). */
    private long measured(Map<String, Integer> output) {
        return output.keySet().stream().filter(expected::contains).count();
    }

    private static long beyondFirst(Map<String, Integer> counts) {
        return counts.values().stream().mapToLong(n -> n - 1).sum();
    }

    private static String row(String output, long found, long expected, long lost, long duplicated, long unexpected) {
        return String.format("| %s | %,d | %s | %s | %,d | %s |%n", output, found, dash(expected), dash(lost), duplicated,
                dash(unexpected));
    }

    private static String dash(long value) {
        return value < 0 ? "-" : String.format("%,d", value);
    }
}
