package io.tributary.benchmarks.kafkastreams;

import io.tributary.contracts.TopicContract;
import io.tributary.events.DeadLetter;
import io.tributary.events.EnrichedTransaction;
import io.tributary.events.FxRate;
import io.tributary.events.LateTransaction;
import io.tributary.events.Merchant;
import io.tributary.jobs.common.TransactionRecordDecoder;
import io.tributary.jobs.enrichment.EnrichmentParameters;
import io.tributary.jobs.enrichment.EnrichmentSettings;
import io.tributary.jobs.enrichment.EnrichmentSources;
import io.tributary.jobs.pii.TokenizationKeySource;
import io.tributary.registry.SchemaRegistryConfig;
import java.time.Duration;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * The Kafka Streams peer's graph:
 *
 * <pre>
 * payments (keyed by account) ─ deduplicate-and-enrich ─┬─ enriched
 *                                     ▲ reads           ├─ late
 * accounts, merchants, fx rates ─ global stores         └─ dead letters
 * </pre>
 *
 * <p>The payments need no repartition: their producers key them by account, so every retry of an
 * event reaches the same task. The reference data are global stores rather than (co-partitioned)
 * KTables: the accounts topic has 3 partitions and the payments 6, so a KTable join would need a
 * repartition of the profiles, and Kafka Streams does not load a KTable before it processes the
 * stream, so the first payments would go out without their account, where the Flink job holds
 * them until its watermark says the profile had its chance. A global store is loaded in full before
 * any task starts. The price: every instance holds every account, and a profile change is applied
 * when the global thread reads it, not in event-time order with the payments.
 */
final class EnrichmentTopology {
    private EnrichmentTopology() {}

    static Topology build(EnrichmentSettings.Topics topics, SchemaRegistryConfig registry, TokenizationKeySource key,
            EnrichmentParameters parameters) {
        StreamsBuilder builder = new StreamsBuilder();
        // The dedup TTL is the window store's retention: whole segments are dropped, no per-key expiry.
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(PaymentEnricher.DEDUP_STORE,
                parameters.dedupTtl(), Duration.ofMillis(1), false), Serdes.String(), Serdes.Long()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(PaymentEnricher.LATENESS_STORE), Serdes.String(), Serdes.Long()));
        Consumed<byte[], byte[]> bytes = Consumed.with(Serdes.ByteArray(), Serdes.ByteArray());
        builder.addGlobalStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(ReferenceUpdates.Accounts.STORE), Serdes.String(),
                        AccountHistorySerde.serde()).withLoggingDisabled(),
                topics.accounts(), bytes, () -> new ReferenceUpdates.Accounts(EnrichmentSources.accounts(registry)));
        // Merchants and rates are small: in memory, as the Flink job's broadcast state is on the heap.
        builder.addGlobalStore(Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(ReferenceUpdates.Merchants.STORE), Serdes.String(),
                        AvroSerdes.binary(Merchant.class)).withLoggingDisabled(),
                topics.merchants(), bytes, () -> new ReferenceUpdates.Merchants(EnrichmentSources.merchants(registry)));
        builder.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(FxRateStore.NAME),
                        Serdes.String(), AvroSerdes.binary(FxRate.class)).withLoggingDisabled(),
                topics.fxRates(), bytes,
                () -> new ReferenceUpdates.FxRates(EnrichmentSources.fxRates(registry), parameters.referenceHistory()));

        KStream<byte[], SpecificRecord> outputs = builder.stream(topics.transactions(), bytes.withName("payments"))
                .process(() -> new PaymentEnricher(new TransactionRecordDecoder(registry, key,
                                parameters.maxFutureSkew(), PaymentEnricher.JOB), parameters),
                        Named.as("deduplicate-and-enrich"), PaymentEnricher.DEDUP_STORE,
                        PaymentEnricher.LATENESS_STORE);
        outputs.split(Named.as("output-"))
                .branch((k, v) -> v instanceof EnrichedTransaction, Branched.withConsumer(s -> s
                        .mapValues(v -> (EnrichedTransaction) v)
                        .to(topics.enriched(), produced(AvroSerdes.confluent(EnrichedTransaction.class,
                                TopicContract.ENRICHED_TRANSACTIONS, registry))), "enriched"))
                .branch((k, v) -> v instanceof LateTransaction, Branched.withConsumer(s -> s
                        .mapValues(v -> (LateTransaction) v)
                        .to(topics.late(), produced(AvroSerdes.confluent(LateTransaction.class,
                                TopicContract.LATE_TRANSACTIONS, registry))), "late"))
                .defaultBranch(Branched.withConsumer(s -> s
                        .mapValues(v -> (DeadLetter) v)
                        .to(topics.deadLetters(), produced(AvroSerdes.confluent(DeadLetter.class,
                                TopicContract.DEAD_LETTERS, registry))), "dead-letters"));
        return builder.build();
    }

    private static <V> Produced<byte[], V> produced(Serde<V> values) {
        return Produced.with(Serdes.ByteArray(), values);
    }
}
