package io.tributary.benchmarks.endtoend;

import io.tributary.benchmarks.kafkastreams.KafkaStreamsEnrichment;
import io.tributary.jobs.enrichment.EnrichmentOptions;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;

/**
 * Which of the harness's {@code --job-option} settings each job gets, so that one option reaches
 * every job that understands it: a Flink option goes to every Flink job; a Tributary option
 * ({@code tributary.*}) to the Flink jobs that read it (they refuse one they do not know), and to the
 * Kafka Streams peer if the enrichment reads it; a {@code streams.*} option only to the peer.
 */
final class JobOptionRouting {
    private static final String TRIBUTARY = "tributary.";

    private final Map<String, String> options;

    JobOptionRouting(Map<String, String> options) {
        this.options = Map.copyOf(options);
    }

    /** The options for a Flink job that reads {@code known}. */
    Map<String, String> forFlinkJob(Collection<ConfigOption<?>> known) {
        Map<String, String> routed = new LinkedHashMap<>();
        options.forEach((key, value) -> {
            boolean tributary = key.startsWith(TRIBUTARY);
            if (!key.startsWith(KafkaStreamsEnrichment.STREAMS_PREFIX)
                    && (!tributary || known.stream().anyMatch(o -> o.key().equals(key)))) {
                routed.put(key, value);
            }
        });
        return routed;
    }

    /** The options for the Kafka Streams peer: its own, and those of the enrichment's it reads. */
    Map<String, String> forKafkaStreams() {
        Map<String, String> routed = new LinkedHashMap<>();
        options.forEach((key, value) -> {
            if (key.startsWith(KafkaStreamsEnrichment.STREAMS_PREFIX) || (key.startsWith(TRIBUTARY)
                    && EnrichmentOptions.all().stream().anyMatch(o -> o.key().equals(key)))) {
                routed.put(key, value);
            }
        });
        return routed;
    }

    boolean isEmpty() {
        return options.isEmpty();
    }

    @Override
    public String toString() {
        return options.toString();
    }
}
