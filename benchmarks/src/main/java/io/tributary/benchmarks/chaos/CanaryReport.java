package io.tributary.benchmarks.chaos;

import java.util.List;

/**
 * Where the chaos run found the clear card number and e-mail address of its canary payments.
 * Control places hold clear personal data by design (the payments input; the DLQ, which keeps
 * the original bytes of rejected records) and are reported, not judged; any other place holding
 * either canary is a leak.
 *
 * @param written canary payments written: valid ones, each with both canaries in clear
 * @param delivered of those, how many came out enriched or late: each went through the
 *     pipeline, so that a leak downstream of the masking would show
 * @param places what each place searched holds, in the order searched
 */
record CanaryReport(long written, long delivered, List<Place> places) {

    /** A place searched, and whether it holds clear personal data by design. */
    record Place(String name, boolean control, Canaries.Found found) {}

    /** Places that must not hold a canary but do. */
    List<Place> leaks() {
        return places.stream().filter(p -> !p.control() && p.found().any()).toList();
    }

    /** Whether canaries went through the pipeline and no place outside the controls holds one. */
    boolean clean() {
        return written > 0 && delivered == written && leaks().isEmpty();
    }

    /** The search as a Markdown table. */
    String table() {
        StringBuilder out = new StringBuilder(String.format(
                "Canaries: %,d valid payments with a clear card number and e-mail written, %,d of them came out enriched"
                        + " or late%n%n| place searched | card numbers | e-mails | result |%n|---|---:|---:|---|%n",
                written, delivered));
        for (Place p : places) {
            String result = p.control() ? "control: holds clear personal data by design"
                    : p.found().any() ? "LEAK" : "ok";
            out.append(String.format("| %s | %,d | %,d | %s |%n", p.name(), p.found().cardNumbers(), p.found().emails(),
                    result));
        }
        return out.toString();
    }
}
