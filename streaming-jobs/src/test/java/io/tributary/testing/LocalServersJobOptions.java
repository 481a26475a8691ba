package io.tributary.testing;

import io.tributary.localstack.KafkaBroker;
import io.tributary.localstack.SchemaRegistryServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The options a failover IT runs a downstream job with on the local servers, as {@code tributary run} reads them. */
public final class LocalServersJobOptions {
    private LocalServersJobOptions() {
    }

    /**
     * Kafka and the schema registry; a consumer group and transactional ids of the job's own under
     * the test's {@code prefix}; reading its topics from the earliest offsets; the job's idleness;
     * two parallel subtasks. Add the job's topics and stores.
     *
     * @param scope the job's option scope, also the suffix of its ids: e.g. {@code fraud} for
     *     {@code tributary.fraud.idleness}
     * @return a map to add to
     */
    public static Map<String, String> forJob(String scope, String prefix, KafkaBroker kafka, SchemaRegistryServer registry,
            Duration idleness) {
        Map<String, String> options = new HashMap<>();
        options.put("tributary.kafka.bootstrap-servers", kafka.bootstrapServers());
        options.put("tributary.registry.url", registry.url());
        options.put("tributary.kafka.group-id", prefix + scope);
        options.put("tributary.kafka.starting-offsets", "EARLIEST");
        options.put("tributary." + scope + ".transactional-id-prefix", prefix + scope);
        options.put("tributary." + scope + ".idleness", idleness.toSeconds() + " s");
        options.put("parallelism.default", "2");
        return options;
    }
}
