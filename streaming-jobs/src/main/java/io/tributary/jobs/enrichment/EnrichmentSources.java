package io.tributary.jobs.enrichment;

import io.tributary.events.AccountProfile;
import io.tributary.events.FxRate;
import io.tributary.events.MaskedTransaction;
import io.tributary.events.Merchant;
import io.tributary.jobs.common.ContractRecordDecoder;
import io.tributary.jobs.common.Decoded;
import io.tributary.jobs.common.KafkaConnectors;
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

    static final TypeInformation<Decoded<AccountSnapshot>> ACCOUNTS_TYPE =
            TypeInformation.of(new TypeHint<Decoded<AccountSnapshot>>() {});
    static final TypeInformation<Decoded<Merchant>> MERCHANTS_TYPE =
            TypeInformation.of(new TypeHint<Decoded<Merchant>>() {});
    static final TypeInformation<Decoded<FxRate>> FX_RATES_TYPE = TypeInformation.of(new TypeHint<Decoded<FxRate>>() {});

    /** The Kafka topics of the settings. */
    public static EnrichmentSources kafka(EnrichmentSettings s) {
        String job = TransactionsEnrichmentJob.NAME;
        return new EnrichmentSources(
                KafkaConnectors.source(s.bootstrapServers(), s.kafkaClientProperties(), s.groupId(),
                        s.topics().transactions(), s.startingOffsets(), false, s.stopAtLatest(),
                        new TransactionRecordDecoder(s.registry(), s.tokenizationKey(), s.maxFutureSkew(), job)),
                KafkaConnectors.source(s.bootstrapServers(), s.kafkaClientProperties(), s.groupId(),
                        s.topics().accounts(), s.startingOffsets(), true, s.stopAtLatest(),
                        new ContractRecordDecoder<>(AccountProfile.class, s.registry(), AccountSnapshot::of,
                                ACCOUNTS_TYPE, job)),
                KafkaConnectors.source(s.bootstrapServers(), s.kafkaClientProperties(), s.groupId(),
                        s.topics().merchants(), s.startingOffsets(), true, s.stopAtLatest(),
                        new ContractRecordDecoder<>(Merchant.class, s.registry(), m -> m, MERCHANTS_TYPE, job)),
                KafkaConnectors.source(s.bootstrapServers(), s.kafkaClientProperties(), s.groupId(),
                        s.topics().fxRates(), s.startingOffsets(), true, s.stopAtLatest(),
                        new ContractRecordDecoder<>(FxRate.class, s.registry(), r -> r, FX_RATES_TYPE, job)));
    }
}
