package io.tributary.jobs.enrichment;

import io.tributary.jobs.pii.TokenizationKey;
import io.tributary.localstack.KafkaBroker;
import io.tributary.localstack.SchemaRegistryServer;
import io.tributary.localstack.pipeline.LocalPipeline;
import io.tributary.localstack.pipeline.PaymentEventGenerator;
import io.tributary.localstack.pipeline.TrafficWriter;
import io.tributary.localstack.pipeline.TributaryTopics;
import io.tributary.state.JobConfiguration;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/**
 * What the enrichment ITs share: their own set of topics on the shared broker, the contracts
 * registered, and settings for the job as {@code tributary run} would build them.
 */
public final class EnrichmentItSetup {
    public final String prefix;
    public final LocalPipeline pipeline;
    public final TokenizationKey key;
    public final Map<String, String> options = new HashMap<>();

    public EnrichmentItSetup(String prefix, KafkaBroker kafka, SchemaRegistryServer registry) throws Exception {
        this.prefix = prefix;
        this.pipeline = LocalPipeline.prepare(kafka, registry);
        kafka.createTopics(TributaryTopics.newTopics(prefix));
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        this.key = TokenizationKey.fromBase64(Base64.getEncoder().encodeToString(bytes));
        options.put("tributary.kafka.bootstrap-servers", kafka.bootstrapServers());
        options.put("tributary.registry.url", registry.url());
        options.put("tributary.kafka.group-id", prefix + "enrichment");
        options.put("tributary.enrichment.transactional-id-prefix", prefix + "enrichment");
        options.put("parallelism.default", "2");
        for (String topic : new String[] {"transactions", "accounts", "merchants", "fx-rates", "enriched", "late",
            "dead-letters"}) {
            options.put("tributary.topics." + topic, topic(topic));
        }
    }

    /** The prefixed name of a topic, by the short name of its option. */
    public String topic(String option) {
        return prefix + switch (option) {
            case "transactions" -> "payments.transactions.v1";
            case "accounts" -> "accounts.profiles.v1";
            case "merchants" -> "merchants.v1";
            case "fx-rates" -> "fx.rates.v1";
            case "enriched" -> "payments.transactions.enriched.v1";
            case "late" -> "payments.transactions.late.v1";
            case "dead-letters" -> "payments.transactions.dlq.v1";
            case "fraud-alerts" -> "fraud.alerts.v1";
            default -> throw new IllegalArgumentException(option);
        };
    }

    /** A writer to this set-up's topics; close it when done. */
    public TrafficWriter trafficWriter() {
        return new TrafficWriter(pipeline.kafka().bootstrapServers(), pipeline.registryConfig(), prefix);
    }

    /**
     * Traffic of 30 accounts and 10 merchants from {@code start}, without late events: for the ITs
     * that check every payment arrives, not how lateness is judged.
     */
    public static PaymentEventGenerator trafficWithoutLateEvents(long seed, Instant start) {
        return new PaymentEventGenerator(new PaymentEventGenerator.Options()
                .seed(seed).accounts(30).merchants(10).start(start).late(0, Duration.ofMinutes(10)));
    }

    public Configuration configuration() {
        return JobConfiguration.resolve(null, options, EnrichmentOptions.all()).configuration();
    }

    public EnrichmentSettings settings() {
        return EnrichmentSettings.from(configuration(),
                Map.of("TRIBUTARY_TOKENIZATION_KEY", Base64.getEncoder().encodeToString(new byte[32])))
                .withInlineKey(key);
    }
}
