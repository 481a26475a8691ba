package io.tributary.testing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What is missing from, or unexpected in, a collection: for assertions on large sets, whose
 * messages would otherwise be cut short before the difference shows.
 */
public final class SetDifference {
    private SetDifference() {}

    public static <T> List<T> missing(Collection<T> expected, Collection<T> actual) {
        Set<T> present = new HashSet<>(actual);
        List<T> missing = new ArrayList<>();
        expected.forEach(e -> {
            if (!present.contains(e)) {
                missing.add(e);
            }
        });
        return missing;
    }

    public static <T> List<T> unexpected(Collection<T> expected, Collection<T> actual) {
        return missing(actual, expected);
    }
}
