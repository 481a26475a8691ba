package io.tributary.jobs.enrichment;

import io.tributary.events.EnrichedTransaction;
import io.tributary.jobs.common.CatalogJob;
import io.tributary.jobs.common.JobFootprint;
import io.tributary.jobs.common.JobSecrets;
import io.tributary.jobs.enrichment.quality.InputQualityMonitors;
import io.tributary.jobs.enrichment.quality.InputQualityParameters;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Job 1 of DESIGN.md: raw payment events in, deduplicated, validated, masked, enriched events out,
 * exactly once, on Kafka. This class is the job as the launchers see it; its graph is
 * {@link EnrichmentPipeline}, which the backfill wires too.
 */
public final class TransactionsEnrichmentJob extends CatalogJob<EnrichmentSettings> {
    public static final String NAME = "transactions-enrichment";

    /** The job as the launchers see it; {@link #build} wires it with other sources and sinks. */
    public TransactionsEnrichmentJob() {
        super(NAME, EnrichmentOptions.all(),
                "Deduplicates, validates, masks and enriches payment events, exactly once.",
                "The tokenization key comes from the environment variable TRIBUTARY_TOKENIZATION_KEY.");
    }

    @Override
    public EnrichmentSettings settings(Configuration configuration, JobSecrets secrets) {
        return EnrichmentSettings.from(configuration, secrets);
    }

    @Override
    public void wire(StreamExecutionEnvironment env, EnrichmentSettings settings) {
        build(env, settings.parameters(), settings.quality(), EnrichmentSources.kafka(settings),
                EnrichmentSinks.kafka(settings));
    }

    @Override
    public String describe(EnrichmentSettings settings) {
        EnrichmentSettings.Topics t = settings.topics();
        return "tokenization key " + settings.tokenizationKeyId() + "; enriched to " + t.enriched() + ", late to "
                + t.late() + ", dead letters to " + t.deadLetters();
    }

    @Override
    public JobFootprint footprint(EnrichmentSettings s) {
        EnrichmentSettings.Topics t = s.topics();
        // Keeps deduplication and per-account state (TransactionEnricher).
        return new JobFootprint(true, s.kafka().groupId(), s.delivery().transactionalIdPrefix(),
                s.kafka().bootstrapServers(), List.of(t.transactions(), t.accounts(), t.merchants(), t.fxRates()),
                List.of(t.enriched(), t.late(), t.deadLetters()), s.kafka().clientProperties(), List.of(), List.of());
    }


    /**
     * Wires the job into {@code env}, on the given sources and sinks (tests give their own), with the
     * input-quality monitors beside it.
     */
    public static void build(StreamExecutionEnvironment env, EnrichmentParameters parameters,
            InputQualityParameters quality, EnrichmentSources sources, EnrichmentSinks sinks) {
        build(env, parameters, quality, sources, sinks, UnaryOperator.identity());
    }

    /**
     * Wires the job, with {@code beforeEnrichedSink} applied to the enriched stream just before its
     * sink: for tests that inject failures or change the graph around the stateful operators.
     */
    public static void build(StreamExecutionEnvironment env, EnrichmentParameters parameters,
            InputQualityParameters quality, EnrichmentSources sources, EnrichmentSinks sinks,
            UnaryOperator<DataStream<EnrichedTransaction>> beforeEnrichedSink) {
        InputQualityMonitors.attach(EnrichmentPipeline.wire(env, parameters, sources, sinks, beforeEnrichedSink), quality);
    }
}
