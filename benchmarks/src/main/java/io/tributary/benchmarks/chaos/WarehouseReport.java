package io.tributary.benchmarks.chaos;

import java.util.Map;
import java.util.Set;

/**
 * What warehouse-sink committed to its Iceberg tables under chaos: the raw table against the
 * measured input's records, the enriched and alert tables against the topics they are written from,
 * as a read_committed consumer saw them. Each Kafka record must be one row, once.
 *
 * @param rawExpected measured input records that decode and keep to the contract (a conflicting
 *     duplicate does: the raw table keeps every record as it was read)
 * @param rawRows rows of the raw table about the measured input
 * @param rawDistinct of those, distinct source records (partition and offset)
 * @param rawUnexpected rows of the raw table about events neither of the measured input nor of the tail
 * @param enrichedOnTopic event ids of the measured input on the enriched topic
 * @param enrichedRows how often each event id is in the enriched table (the tail left out)
 * @param alertsOnTopic alert ids on the alerts topic
 * @param alertRows how often each alert id is in the alerts table (alerts about the tail left out)
 */
record WarehouseReport(long rawExpected, long rawRows, long rawDistinct, long rawUnexpected,
        Set<String> enrichedOnTopic, Map<String, Integer> enrichedRows, Set<String> alertsOnTopic,
        Map<String, Integer> alertRows) {

    /**
     * The tables against the topics: read the tables first, then the topics, so that anything
     * warehouse-sink committed is on its topic too when compared; an id on the topic but not in its
     * table may still be on its way while the jobs catch up.
     */
    static WarehouseReport of(WarehouseReader.Tables tables, long rawExpected, Set<String> enrichedOnTopic,
            Set<String> alertsOnTopic) {
        return new WarehouseReport(rawExpected, tables.rawRows(), tables.rawDistinct(), tables.rawUnexpected(),
                Set.copyOf(enrichedOnTopic), tables.enrichedRows(), Set.copyOf(alertsOnTopic), tables.alertRows());
    }

    /** Before warehouse-sink created its tables: everything is missing. */
    static WarehouseReport notCreated(long rawExpected) {
        return of(WarehouseReader.Tables.NONE, rawExpected, Set.of(), Set.of());
    }

    long rawLost() {
        return Math.max(0, rawExpected - rawDistinct);
    }

    long rawDuplicated() {
        return rawRows - rawDistinct;
    }

    long enrichedLost() {
        return enrichedOnTopic.stream().filter(id -> !enrichedRows.containsKey(id)).count();
    }

    long enrichedUnexpected() {
        return enrichedRows.keySet().stream().filter(id -> !enrichedOnTopic.contains(id)).count();
    }

    long alertsLost() {
        return alertsOnTopic.stream().filter(id -> !alertRows.containsKey(id)).count();
    }

    long alertsUnexpected() {
        return alertRows.keySet().stream().filter(id -> !alertsOnTopic.contains(id)).count();
    }

    /** Whether every table holds each of its records once and nothing else. */
    boolean clean() {
        return rawExpected > 0 && rawLost() == 0 && rawDuplicated() == 0 && rawDistinct == rawExpected
                && rawUnexpected == 0 && enrichedLost() == 0 && beyondFirst(enrichedRows) == 0 && enrichedUnexpected() == 0
                && alertsLost() == 0 && beyondFirst(alertRows) == 0 && alertsUnexpected() == 0;
    }

    /** The tables as a Markdown table. */
    String table() {
        StringBuilder out = new StringBuilder("| warehouse table (Iceberg) | rows found | expected | lost | duplicated |"
                + " unexpected |\n|---|---:|---:|---:|---:|---:|\n");
        out.append(row("raw_transactions (measured input records)", rawDistinct, rawExpected, rawLost(), rawDuplicated(),
                rawUnexpected + Math.max(0, rawDistinct - rawExpected)));
        out.append(row("transactions_enriched (vs the enriched topic)", enrichedRows.size(), enrichedOnTopic.size(),
                enrichedLost(), beyondFirst(enrichedRows), enrichedUnexpected()));
        out.append(row("fraud_alerts (vs the alerts topic)", alertRows.size(), alertsOnTopic.size(), alertsLost(),
                beyondFirst(alertRows), alertsUnexpected()));
        return out.toString();
    }

    private static long beyondFirst(Map<String, Integer> counts) {
        return counts.values().stream().mapToLong(n -> n - 1).sum();
    }

    private static String row(String table, long found, long expected, long lost, long duplicated, long unexpected) {
        return String.format("| %s | %,d | %,d | %,d | %,d | %,d |%n", table, found, expected, lost, duplicated, unexpected);
    }
}
