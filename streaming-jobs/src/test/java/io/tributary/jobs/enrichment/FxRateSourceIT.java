package io.tributary.jobs.enrichment;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.contracts.RejectionReason;
import io.tributary.contracts.TopicContract;
import io.tributary.events.FxRate;
import io.tributary.jobs.common.DecoderRuns;
import io.tributary.jobs.common.Decoded;
import io.tributary.localstack.SchemaRegistryServer;
import io.tributary.localstack.junit.LocalServersExtension;
import io.tributary.registry.SchemaRegistryClient;
import io.tributary.registry.SchemaRegistryConfig;
import io.tributary.serde.ConfluentAvroSerializationSchema;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Reference data is checked where it enters: an FX rate of zero, a negative one or an absurd one
 * goes to the DLQ with its bytes and reason, instead of into every amount_usd (or overflowing
 * decimal(18,4) and restarting the job with the bad rate kept in broadcast state).
 */
@ExtendWith(LocalServersExtension.class)
class FxRateSourceIT {

    @Test
    void aRateThatIsNotPositiveOrAbsurdIsADeadLetter(SchemaRegistryServer registry) throws Exception {
        SchemaRegistryConfig config = SchemaRegistryConfig.builder(registry.url()).build();
        SchemaRegistryClient.create(config).register(TopicContract.FX_RATES.subject(), TopicContract.FX_RATES.valueSchema());
        var decoder = EnrichmentSources.fxRates(config);
        DecoderRuns.open(decoder);

        assertThat(decode(decoder, config, "1.0850000000").value.getRateToUsd()).isEqualByComparingTo("1.085");
        for (String bad : new String[] {"0E-10", "-1.0850000000", "1085.0000000000"}) {
            Decoded<FxRate> decoded = decode(decoder, config, bad);
            assertThat(decoded.value).as(bad).isNull();
            assertThat(decoded.deadLetter.getReason()).as(bad).isEqualTo(RejectionReason.CONTRACT_INVALID_FX_RATE.name());
            assertThat(decoded.deadLetter.getReasonDetail()).as(bad).startsWith("rate_to_usd is");
        }
    }

    private static Decoded<FxRate> decode(io.tributary.jobs.common.ContractRecordDecoder<FxRate, FxRate> decoder,
            SchemaRegistryConfig config, String rate) throws Exception {
        byte[] value = ConfluentAvroSerializationSchema.forSpecific(FxRate.class).topic(TopicContract.FX_RATES)
                .registry(config).build().serialize(FxRate.newBuilder().setCurrency("EUR")
                        .setRateToUsd(new BigDecimal(rate)).setValidFrom(Instant.parse("2026-12-01T00:00:00Z")).build());
        return DecoderRuns.decode(decoder, new ConsumerRecord<>(TopicContract.FX_RATES.topic(), 0, 7L,
                "EUR".getBytes(StandardCharsets.UTF_8), value));
    }
}
