package io.tributary.benchmarks.kafkastreams;

import io.tributary.events.FxRate;
import io.tributary.jobs.enrichment.AccountHistory;
import io.tributary.jobs.enrichment.AccountSnapshot;
import io.tributary.events.Merchant;
import io.tributary.jobs.common.Decoded;
import java.time.Duration;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the account profiles, the merchants or the FX rates in a global store, which every instance
 * holds in full and which is loaded before any payment is processed: the Kafka Streams counterpart
 * of the Flink job's broadcast state (merchants, rates) and of its per-account profile state.
 * Records are decoded by the Flink job's own decoders. A global store's processor cannot write to a
 * topic, so a record that does not decode is logged and counted, where the Flink job dead-letters it
 * (the benchmark sends none).
 */
abstract class ReferenceUpdates<T> implements Processor<byte[], byte[], Void, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(ReferenceUpdates.class);

    private final KafkaRecordDeserializationSchema<Decoded<T>> contractDecoder;
    private OutsideFlinkDecoder<T> decoder;
    private ProcessorContext<Void, Void> context;
    private long undecodable;

    ReferenceUpdates(KafkaRecordDeserializationSchema<Decoded<T>> decoder) {
        this.contractDecoder = decoder;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        try {
            decoder = OutsideFlinkDecoder.open(contractDecoder);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot open the reference decoder", e);
        }
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        try {
            for (Decoded<T> d : decoder.decode(record, context.recordMetadata())) {
                if (d.isDeadLetter()) {
                    undecodable++;
                    LOG.warn("Skipped a reference record that is not valid ({}), {} so far",
                            d.deadLetter.getReason(), undecodable);
                } else if (d.isTombstone()) {
                    deleted(d.key);
                } else {
                    updated(d.value);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("Cannot decode a reference record", e);
        }
    }

    abstract void updated(T value);

    abstract void deleted(String key);

    <S> KeyValueStore<String, S> store(String name) {
        return context.getStateStore(name);
    }

    /**
     * The last versions of each account's profile, to enrich a payment as of its time, as the Flink
     * job does; a tombstone forgets the account.
     */
    static final class Accounts extends ReferenceUpdates<AccountSnapshot> {
        static final String STORE = "account-histories";
        private KeyValueStore<String, AccountHistory> histories;

        Accounts(KafkaRecordDeserializationSchema<Decoded<AccountSnapshot>> decoder) {
            super(decoder);
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            super.init(context);
            histories = store(STORE);
        }

        @Override
        void updated(AccountSnapshot profile) {
            AccountHistory history = histories.get(profile.accountId);
            histories.put(profile.accountId, (history == null ? new AccountHistory() : history).with(profile));
        }

        @Override
        void deleted(String accountId) {
            histories.delete(accountId);
        }
    }

    /** Merchants by id; the newest version wins, whatever order versions arrive in, as in the Flink job. */
    static final class Merchants extends ReferenceUpdates<Merchant> {
        static final String STORE = "merchants";
        private KeyValueStore<String, Merchant> merchants;

        Merchants(KafkaRecordDeserializationSchema<Decoded<Merchant>> decoder) {
            super(decoder);
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            super.init(context);
            merchants = store(STORE);
        }

        @Override
        void updated(Merchant merchant) {
            Merchant known = merchants.get(merchant.getMerchantId());
            if (known == null || !known.getUpdatedAt().isAfter(merchant.getUpdatedAt())) {
                merchants.put(merchant.getMerchantId(), merchant);
            }
        }

        @Override
        void deleted(String merchantId) {
            merchants.delete(merchantId);
        }
    }

    /** FX rates by currency and validity start, pruned as the Flink job prunes them. */
    static final class FxRates extends ReferenceUpdates<FxRate> {
        private final Duration referenceHistory;
        private KeyValueStore<String, FxRate> rates;

        FxRates(KafkaRecordDeserializationSchema<Decoded<FxRate>> decoder, Duration referenceHistory) {
            super(decoder);
            this.referenceHistory = referenceHistory;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            super.init(context);
            rates = store(FxRateStore.NAME);
        }

        @Override
        void updated(FxRate rate) {
            FxRateStore.put(rates, rate, referenceHistory);
        }

        @Override
        void deleted(String currency) {
            // A rate once valid stays valid for the events of its time; the Flink job ignores these too.
        }
    }
}
