package io.tributary.cli;

import io.tributary.contracts.RejectionReason;
import io.tributary.events.DeadLetter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which dead letters a {@code tributary dlq} command works on: by reason, by the time they were
 * rejected ({@code failed_at}, from inclusive to exclusive), by their own partition and offset in the
 * dead-letter topic, and by the topic they were read from. Criteria combine with "and"; repeated reasons or offset ranges with "or".
 */
final class DeadLetterSelection {
    private static final Pattern OFFSETS = Pattern.compile("(\\d+):(\\d+)(?:-(\\d+))?");

    private final Set<String> reasons;
    private final Instant from;
    private final Instant to;
    private final List<OffsetRange> offsets;
    private final String sourceTopic;

    /** Dead-letter offsets {@code first} to {@code last}, both included, of one partition. */
    record OffsetRange(int partition, long first, long last) {
        boolean contains(int p, long offset) {
            return p == partition && offset >= first && offset <= last;
        }
    }

    private DeadLetterSelection(Builder b) {
        this.reasons = Set.copyOf(b.reasons);
        this.from = b.from;
        this.to = b.to;
        this.offsets = List.copyOf(b.offsets);
        this.sourceTopic = b.sourceTopic;
    }

    static Builder builder() {
        return new Builder();
    }

    /** Whether the dead letter at {@code partition} and {@code offset} of the dead-letter topic is selected. */
    boolean matches(int partition, long offset, DeadLetter deadLetter) {
        Instant failedAt = deadLetter.getFailedAt();
        return (reasons.isEmpty() || reasons.contains(deadLetter.getReason()))
                && (from == null || !failedAt.isBefore(from))
                && (to == null || failedAt.isBefore(to))
                && (offsets.isEmpty() || offsets.stream().anyMatch(r -> r.contains(partition, offset)))
                && (sourceTopic == null || sourceTopic.equals(deadLetter.getSourceTopic()));
    }

    /** Whether no criterion was given, so that everything is selected. */
    boolean isEverything() {
        return reasons.isEmpty() && from == null && to == null && offsets.isEmpty() && sourceTopic == null;
    }

    /** The criteria in words, for the command's report. */
    String describe() {
        if (isEverything()) {
            return "every dead letter";
        }
        List<String> parts = new ArrayList<>();
        if (!reasons.isEmpty()) {
            parts.add("reason " + String.join(" or ", reasons.stream().sorted().toList()));
        }
        if (from != null || to != null) {
            parts.add("rejected " + (from == null ? "" : "from " + from + " ") + (to == null ? "" : "until " + to));
        }
        if (!offsets.isEmpty()) {
            parts.add("offsets " + String.join(", ", offsets.stream()
                    .map(r -> r.partition() + ":" + r.first() + (r.first() == r.last() ? "" : "-" + r.last())).toList()));
        }
        if (sourceTopic != null) {
            parts.add("read from " + sourceTopic);
        }
        return String.join(", ", parts.stream().map(String::strip).toList());
    }

    /** The criteria; each setter checks what it is given, {@link #build} checks them together. */
    static final class Builder {
        private final Set<String> reasons = new LinkedHashSet<>();
        private Instant from;
        private Instant to;
        private final List<OffsetRange> offsets = new ArrayList<>();
        private String sourceTopic;

        /** Only these reasons; each must name a {@link RejectionReason}. */
        Builder reasons(List<String> names) {
            for (String name : names == null ? List.<String>of() : names) {
                String reason = name.strip().toUpperCase(java.util.Locale.ROOT);
                if (Arrays.stream(RejectionReason.values()).noneMatch(r -> r.name().equals(reason))) {
                    throw new IllegalArgumentException("No rejection reason '" + name + "'; reasons are "
                            + Arrays.stream(RejectionReason.values()).map(Enum::name).toList());
                }
                reasons.add(reason);
            }
            return this;
        }

        /** Only dead letters rejected in {@code [from, to)}; either end may be null (open). */
        Builder rejected(Instant from, Instant to) {
            this.from = from;
            this.to = to;
            return this;
        }

        /** Only these offsets of the dead-letter topic: {@code PARTITION:OFFSET} or {@code PARTITION:FIRST-LAST}. */
        Builder offsets(List<String> ranges) {
            for (String range : ranges == null ? List.<String>of() : ranges) {
                Matcher m = OFFSETS.matcher(range.strip());
                if (!m.matches()) {
                    throw new IllegalArgumentException("'" + range + "' is not PARTITION:OFFSET or PARTITION:FIRST-LAST,"
                            + " e.g. 0:42 or 0:40-49");
                }
                long first = Long.parseLong(m.group(2));
                long last = m.group(3) == null ? first : Long.parseLong(m.group(3));
                if (last < first) {
                    throw new IllegalArgumentException("Offset range '" + range + "' ends before it starts");
                }
                offsets.add(new OffsetRange(Integer.parseInt(m.group(1)), first, last));
            }
            return this;
        }

        /** Only dead letters read from {@code topic}; null for any. */
        Builder sourceTopic(String topic) {
            this.sourceTopic = topic;
            return this;
        }

        DeadLetterSelection build() {
            if (from != null && to != null && !from.isBefore(to)) {
                throw new IllegalArgumentException("The time range is empty: --from " + from + " is not before --to " + to);
            }
            return new DeadLetterSelection(this);
        }
    }
}
