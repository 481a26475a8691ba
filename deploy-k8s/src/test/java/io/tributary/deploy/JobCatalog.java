package io.tributary.deploy;

import io.tributary.cli.RunArguments;
import io.tributary.jobs.enrichment.EnrichmentOptions;
import io.tributary.jobs.enrichment.EnrichmentSettings;
import io.tributary.jobs.enrichment.TransactionsEnrichmentJob;
import io.tributary.jobs.fraud.FraudDetectionJob;
import io.tributary.jobs.fraud.FraudOptions;
import io.tributary.jobs.fraud.FraudSettings;
import io.tributary.jobs.metrics.LiveMetricsJob;
import io.tributary.jobs.metrics.MetricsOptions;
import io.tributary.jobs.metrics.MetricsSettings;
import io.tributary.jobs.warehouse.WarehouseOptions;
import io.tributary.jobs.warehouse.WarehouseSettings;
import io.tributary.jobs.warehouse.WarehouseSinkJob;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * The jobs the code defines and what a deployment of each needs, worked out by the jobs' own
 * configuration code rather than a hand-written list: a new job fails the checks until it has an
 * entry here.
 */
final class JobCatalog {
    /**
     * What a deployed job touches outside itself. {@code transactionalIdPrefix} is null for a job
     * that writes no Kafka topic.
     */
    record Footprint(boolean stateful, String groupId, String transactionalIdPrefix, List<String> inputs,
            List<String> outputs, Set<String> kafkaEnvironment) {}

    /** Stands in for every Secret-backed variable: a valid 32-byte base64 key, and a password. */
    private static final String PLACEHOLDER = Base64.getEncoder().encodeToString(new byte[32]);

    /** Kafka's EnvVarConfigProvider placeholder, {@code ${env:NAME}}. */
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z0-9_]+)}");

    private JobCatalog() {}

    /** The jobs of {@code tributary run}. */
    static List<String> jobs() {
        return RunArguments.jobs();
    }

    /** Every option a job reads, as its start-up validation knows them. */
    static Collection<ConfigOption<?>> options(String job) {
        return switch (job) {
            case TransactionsEnrichmentJob.NAME -> EnrichmentOptions.all();
            case FraudDetectionJob.NAME -> FraudOptions.all();
            case LiveMetricsJob.NAME -> MetricsOptions.all();
            case WarehouseSinkJob.NAME -> WarehouseOptions.sinkOptions();
            default -> throw new IllegalArgumentException("job '" + job + "' has no entry in JobCatalog");
        };
    }

    /**
     * Runs the job's own start-up checks on its configuration, with the environment the pods get
     * from Secrets (names only; placeholder values).
     *
     * @throws IllegalArgumentException with the job's own message when it would refuse to start
     */
    static Footprint footprint(String job, Configuration configuration, Set<String> secretEnvironment) {
        Map<String, String> environment = secretEnvironment.stream()
                .collect(Collectors.toMap(Function.identity(), v -> PLACEHOLDER));
        return switch (job) {
            case TransactionsEnrichmentJob.NAME -> enrichment(EnrichmentSettings.from(configuration, environment));
            case FraudDetectionJob.NAME -> fraud(FraudSettings.from(configuration, environment));
            case LiveMetricsJob.NAME -> metrics(MetricsSettings.from(configuration, environment));
            case WarehouseSinkJob.NAME -> warehouse(WarehouseSettings.from(configuration, environment));
            default -> throw new IllegalArgumentException("job '" + job + "' has no entry in JobCatalog");
        };
    }

    private static Footprint enrichment(EnrichmentSettings s) {
        EnrichmentSettings.Topics t = s.topics();
        // Keeps deduplication and per-account state (TransactionEnricher).
        return new Footprint(true, s.groupId(), s.transactionalIdPrefix(),
                List.of(t.transactions(), t.accounts(), t.merchants(), t.fxRates()),
                List.of(t.enriched(), t.late(), t.deadLetters()),
                environmentReferences(s.kafkaClientProperties()));
    }

    private static Footprint fraud(FraudSettings s) {
        FraudSettings.Topics t = s.topics();
        // Keeps account and card features, rule versions and alert ids (AccountFeatureScorer, CardRuleEvaluator).
        return new Footprint(true, s.groupId(), s.transactionalIdPrefix(), List.of(t.enriched(), t.rules()),
                List.of(t.alerts(), t.deadLetters()), environmentReferences(s.kafkaClientProperties()));
    }

    private static Footprint metrics(MetricsSettings s) {
        MetricsSettings.Topics t = s.topics();
        // Keeps open minute windows and payments' dimensions (AlertAttribution).
        return new Footprint(true, s.groupId(), s.transactionalIdPrefix(), List.of(t.enriched(), t.alerts()),
                List.of(t.deadLetters()), environmentReferences(s.kafkaClientProperties()));
    }

    private static Footprint warehouse(WarehouseSettings s) {
        WarehouseSettings.Topics t = s.topics();
        // Keeps the Iceberg sink's files not yet committed and its last committed checkpoint (WarehouseSinkJob).
        // Its output is the warehouse, not Kafka: no output topic, no transactional id.
        return new Footprint(true, s.groupId(), null,
                List.of(t.transactions(), t.accounts(), t.merchants(), t.fxRates(), t.enriched(), t.alerts()),
                List.of(), environmentReferences(s.kafkaClientProperties()));
    }

    /** Variables named by Kafka's EnvVarConfigProvider placeholders, {@code ${env:NAME}}. */
    private static Set<String> environmentReferences(Map<String, String> clientProperties) {
        return clientProperties.values().stream()
                .flatMap(v -> ENV_REFERENCE.matcher(v).results())
                .map(m -> m.group(1))
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
