package io.tributary.jobs.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Assertions on rows in the form of {@link TableRows}. */
final class RowAssertions {
    private RowAssertions() {}

    /** The same rows, as many times each: the difference, if any, is listed row by row. */
    static void assertSameRows(List<Map<String, Object>> actual, List<Map<String, Object>> expected) {
        Map<String, Long> want = counts(expected);
        Map<String, Long> got = counts(actual);
        List<String> differences = new ArrayList<>();
        for (String row : union(want.keySet(), got.keySet())) {
            long w = want.getOrDefault(row, 0L);
            long g = got.getOrDefault(row, 0L);
            if (w != g) {
                differences.add("expected " + w + ", found " + g + ": " + row);
            }
        }
        assertThat(differences).as("rows that differ (of %d expected, %d found)", expected.size(), actual.size())
                .isEmpty();
    }

    private static Map<String, Long> counts(List<Map<String, Object>> rows) {
        return rows.stream().map(r -> new TreeMap<>(r).toString())
                .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }
}
