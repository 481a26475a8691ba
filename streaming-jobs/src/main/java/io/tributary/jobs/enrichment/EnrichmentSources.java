package io.tributary.jobs.enrichment;

import io.tributary.contracts.RejectionReason;
import io.tributary.events.AccountProfile;
import io.tributary.events.FxRate;
import io.tributary.events.MaskedTransaction;
import io.tributary.events.Merchant;
import io.tributary.jobs.common.ContractRecordDecoder;
import io.tributary.jobs.common.Decoded;
import io.tributary.jobs.common.KafkaSettings;
import io.tributary.jobs.common.TransactionRecordDecoder;
import io.tributary.registry.SchemaRegistryConfig;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;

/**
 * The four inputs of the enrichment job. The job wires whatever sources it is given; {@link #kafka}
 * gives the real ones, a test may give others.
 */
public record EnrichmentSources(
        Source<Decoded<MaskedTransaction>, ?, ?> transactions,
        Source<Decoded<AccountSnapshot>, ?, ?> accounts,
        Source<Decoded<Merchant>, ?, ?> merchants,
        Source<Decoded<FxRate>, ?, ?> fxRates) {

    /** Only the builder's starting point: the profile is projected to its snapshot in the source. */
    private static final TypeInformation<Decoded<AccountProfile>> ACCOUNT_PROFILES_TYPE =
            TypeInformation.of(new TypeHint<Decoded<AccountProfile>>() {});
    static final TypeInformation<Decoded<AccountSnapshot>> ACCOUNTS_TYPE =
            TypeInformation.of(new TypeHint<Decoded<AccountSnapshot>>() {});
    static final TypeInformation<Decoded<Merchant>> MERCHANTS_TYPE =
            TypeInformation.of(new TypeHint<Decoded<Merchant>>() {});
    static final TypeInformation<Decoded<FxRate>> FX_RATES_TYPE = TypeInformation.of(new TypeHint<Decoded<FxRate>>() {});

    /** The Kafka topics of the settings. */
    public static EnrichmentSources kafka(EnrichmentSettings s) {
        String job = TransactionsEnrichmentJob.NAME;
        KafkaSettings kafka = s.kafka();
        return new EnrichmentSources(
                kafka.source(s.topics().transactions(), new TransactionRecordDecoder(kafka.registry(),
                        s.tokenizationKey(), s.parameters().maxFutureSkew(), job)),
                kafka.changelogSource(s.topics().accounts(), accounts(kafka.registry())),
                kafka.changelogSource(s.topics().merchants(), merchants(kafka.registry())),
                kafka.changelogSource(s.topics().fxRates(), fxRates(kafka.registry())));
    }

    /**
     * The decoder of account profiles, which keeps only their {@link AccountSnapshot}. Public, like
     * the two below, so that the benchmarks' Kafka Streams peer of this job reads its inputs alike.
     */
    public static ContractRecordDecoder<AccountProfile, AccountSnapshot> accounts(SchemaRegistryConfig registry) {
        return ContractRecordDecoder.forChangelog(AccountProfile.class, ACCOUNT_PROFILES_TYPE)
                .projectedTo(AccountSnapshot::of, ACCOUNTS_TYPE).registry(registry).job(TransactionsEnrichmentJob.NAME)
                .build();
    }

    /** The decoder of merchants. */
    public static ContractRecordDecoder<Merchant, Merchant> merchants(SchemaRegistryConfig registry) {
        return ContractRecordDecoder.forChangelog(Merchant.class, MERCHANTS_TYPE).registry(registry)
                .job(TransactionsEnrichmentJob.NAME).build();
    }

    /** The decoder of FX rates: a rate that is not positive or absurdly high is a dead letter. */
    public static ContractRecordDecoder<FxRate, FxRate> fxRates(SchemaRegistryConfig registry) {
        return ContractRecordDecoder.forChangelog(FxRate.class, FX_RATES_TYPE).registry(registry)
                .job(TransactionsEnrichmentJob.NAME).check(FxRateTable::problem, RejectionReason.CONTRACT_INVALID_FX_RATE)
                .build();
    }
}
