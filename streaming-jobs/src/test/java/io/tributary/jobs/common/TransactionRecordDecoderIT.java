package io.tributary.jobs.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.contracts.RejectionReason;
import io.tributary.contracts.TopicContract;
import io.tributary.events.MaskedTransaction;
import io.tributary.events.Transaction;
import io.tributary.jobs.pii.TokenizationKey;
import io.tributary.jobs.pii.TokenizationKeySource;
import io.tributary.localstack.SchemaRegistryServer;
import io.tributary.localstack.junit.LocalServersExtension;
import io.tributary.localstack.pipeline.GeneratedTransaction;
import io.tributary.localstack.pipeline.PaymentEventGenerator;
import io.tributary.localstack.pipeline.TrafficKind;
import io.tributary.registry.SchemaRegistryClient;
import io.tributary.registry.SchemaRegistryConfig;
import io.tributary.serde.ConfluentAvroSerializationSchema;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The future check of payments, in the decoder against a real registry: an event time is judged
 * against a clock the producer cannot set, the broker's append time (the payments topic uses
 * LogAppendTime), or else the decoder's own clock, never a producer's record timestamp.
 */
@ExtendWith(LocalServersExtension.class)
class TransactionRecordDecoderIT {
    private static final Duration SKEW = Duration.ofMinutes(5);

    private SchemaRegistryConfig registry;
    private TransactionRecordDecoder decoder;

    @BeforeEach
    void decoder(SchemaRegistryServer server) throws Exception {
        registry = SchemaRegistryConfig.builder(server.url()).build();
        SchemaRegistryClient.create(registry).register(TopicContract.TRANSACTIONS.subject(),
                TopicContract.TRANSACTIONS.valueSchema());
        TokenizationKey key = TokenizationKey.fromBase64(Base64.getEncoder().encodeToString(new byte[32]));
        decoder = new TransactionRecordDecoder(registry, TokenizationKeySource.inline(key), SKEW, "test");
        DecoderRuns.open(decoder);
    }

    @Test
    void aProducerStampingItsRecordWithTheFutureEventTimeDoesNotGetItThrough() throws Exception {
        Instant tomorrow = Instant.now().plus(Duration.ofDays(1));

        Decoded<MaskedTransaction> decoded = decode(tomorrow, tomorrow.toEpochMilli(), TimestampType.CREATE_TIME);

        assertThat(decoded.value).isNull();
        assertThat(decoded.deadLetter.getReason()).isEqualTo(RejectionReason.CONTRACT_FUTURE_EVENT_TIME.name());
    }

    @Test
    void theBrokersAppendTimeIsTheClockAndTheSameInEveryReplay() throws Exception {
        Instant appended = Instant.parse("2026-11-27T08:00:00Z");

        Decoded<MaskedTransaction> within = decode(appended.plus(SKEW), appended.toEpochMilli(),
                TimestampType.LOG_APPEND_TIME);
        Decoded<MaskedTransaction> beyond = decode(appended.plus(SKEW).plusMillis(1), appended.toEpochMilli(),
                TimestampType.LOG_APPEND_TIME);

        assertThat(within.deadLetter).isNull();
        assertThat(beyond.deadLetter.getReason()).isEqualTo(RejectionReason.CONTRACT_FUTURE_EVENT_TIME.name());
    }

    private Decoded<MaskedTransaction> decode(Instant eventTime, long recordTimestamp, TimestampType type)
            throws Exception {
        PaymentEventGenerator generator = new PaymentEventGenerator(new PaymentEventGenerator.Options()
                .malformedRate(0).duplicateRate(0));
        GeneratedTransaction generated = generator.next();
        while (generated.kind() != TrafficKind.VALID) {
            generated = generator.next();
        }
        Transaction t = generated.transaction();
        t.setEventTime(eventTime);
        byte[] value = ConfluentAvroSerializationSchema.forSpecific(Transaction.class).topic(TopicContract.TRANSACTIONS)
                .registry(registry).build().serialize(t);
        byte[] key = t.getAccountId().getBytes(StandardCharsets.UTF_8);
        return DecoderRuns.decode(decoder, new ConsumerRecord<>(TopicContract.TRANSACTIONS.topic(), 0, 7L,
                recordTimestamp, type, key.length, value.length, key, value, new RecordHeaders(), Optional.empty()));
    }
}
