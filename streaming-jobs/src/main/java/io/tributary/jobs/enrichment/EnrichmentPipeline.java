package io.tributary.jobs.enrichment;

import io.tributary.events.DeadLetter;
import io.tributary.events.EnrichedTransaction;
import io.tributary.events.FxRate;
import io.tributary.events.MaskedTransaction;
import io.tributary.events.Merchant;
import io.tributary.jobs.common.DeadLetterRouter;
import io.tributary.jobs.common.Decoded;
import io.tributary.jobs.common.DecodedWatermarks;
import io.tributary.jobs.common.TransactionRecordDecoder;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.function.SerializableFunction;
/**
 * The enrichment's graph, the same in the stream ({@link TransactionsEnrichmentJob}, unbounded Kafka
 * sources) and in the backfill (bounded Iceberg sources, BATCH mode): DESIGN.md promises the same
 * output for the same input, so both wire exactly this. The logic is in {@link TransactionRecordDecoder}
 * (decode, validate, tokenize, in the source) and {@link TransactionEnricher} (deduplicate, lateness,
 * enrich).
 *
 * <pre>
 * transactions ─ decode+validate+mask ─┬─ dead letters ───────────────────────────────┐
 *                                      └─ payments ─┐                                  ├─ DLQ sink
 * accounts ──── decode (no PII kept) ──┬────────────┴─ keyBy(account) ─ enricher ─┬─ enriched sink
 *                                      └─ dead letters ──────────────────┘  ▲      └─ late sink
 * merchants, fx rates ─ decode ─────── broadcast ──────────────────────────┘
 * </pre>
 */
public final class EnrichmentPipeline {
    private EnrichmentPipeline() {}

    /**
     * Wires the enrichment into {@code env}, with {@code beforeEnrichedSink} applied to the enriched
     * stream just before its sink.
     *
     * @return the decoded payments, for monitors beside the graph
     */
    public static DataStream<Decoded<MaskedTransaction>> wire(StreamExecutionEnvironment env, EnrichmentParameters parameters, EnrichmentSources sources,
            EnrichmentSinks sinks, UnaryOperator<DataStream<EnrichedTransaction>> beforeEnrichedSink) {
        SingleOutputStreamOperator<Decoded<MaskedTransaction>> transactions = DeadLetterRouter.read(env,
                sources.transactions(), watermarks(parameters, t -> t.getEventTime().toEpochMilli()),
                TransactionRecordDecoder.TYPE, "transactions");
        SingleOutputStreamOperator<Decoded<AccountSnapshot>> accounts = DeadLetterRouter.readReference(env,
                sources.accounts(), watermarks(parameters, a -> a.updatedAt), EnrichmentSources.ACCOUNTS_TYPE, "accounts");
        SingleOutputStreamOperator<Decoded<Merchant>> merchants = DeadLetterRouter.readReference(env,
                sources.merchants(), watermarks(parameters, m -> m.getUpdatedAt().toEpochMilli()),
                EnrichmentSources.MERCHANTS_TYPE, "merchants");
        SingleOutputStreamOperator<Decoded<FxRate>> fxRates = DeadLetterRouter.readReference(env,
                sources.fxRates(), watermarks(parameters, r -> r.getValidFrom().toEpochMilli()),
                EnrichmentSources.FX_RATES_TYPE, "fx-rates");

        DataStream<AccountEvent> accountEvents = transactions
                .map(d -> AccountEvent.payment(d.value, d.origin), AccountEvent.TYPE)
                .name("payments as account events").uid("payments-as-account-events")
                .union(accounts
                        .map(d -> d.isTombstone() ? AccountEvent.forget(d.key) : AccountEvent.profile(d.value),
                                AccountEvent.TYPE)
                        .name("profiles as account events").uid("profiles-as-account-events").setParallelism(1));
        DataStream<ReferenceUpdate> reference = merchants
                .map(d -> d.isTombstone() ? ReferenceUpdate.merchantDeleted(d.key) : ReferenceUpdate.of(d.value),
                        TypeInformation.of(ReferenceUpdate.class))
                .name("merchants as reference").uid("merchants-as-reference").setParallelism(1)
                .union(fxRates.map(d -> ReferenceUpdate.of(d.value), TypeInformation.of(ReferenceUpdate.class))
                        .name("fx rates as reference").uid("fx-rates-as-reference").setParallelism(1));

        SingleOutputStreamOperator<EnrichedTransaction> enriched = accountEvents
                .keyBy(AccountEvent::getAccountId)
                .connect(reference.broadcast(TransactionEnricher.MERCHANTS, TransactionEnricher.FX_RATES))
                .process(new TransactionEnricher(parameters.maxOutOfOrderness(), parameters.allowedLateness(),
                        parameters.accountWait(), parameters.dedupTtl(), parameters.referenceHistory(), TransactionsEnrichmentJob.NAME),
                        TypeInformation.of(EnrichedTransaction.class))
                .name("deduplicate and enrich").uid("transaction-enricher");

        sinks.enriched().attach(beforeEnrichedSink.apply(enriched), "enriched sink", "enriched-sink");
        sinks.late().attach(enriched.getSideOutput(TransactionEnricher.LATE), "late sink", "late-sink");
        // The enricher's are conflicting duplicates (DUPLICATE_CONFLICT).
        DataStream<DeadLetter> deadLetters = transactions.getSideOutput(DeadLetterRouter.DEAD_LETTERS)
                .union(enriched.getSideOutput(DeadLetterRouter.DEAD_LETTERS),
                        accounts.getSideOutput(DeadLetterRouter.DEAD_LETTERS),
                        merchants.getSideOutput(DeadLetterRouter.DEAD_LETTERS),
                        fxRates.getSideOutput(DeadLetterRouter.DEAD_LETTERS));
        sinks.deadLetters().attach(deadLetters, "dead-letter sink", "dead-letter-sink");
        return transactions;
    }

    private static <T> WatermarkStrategy<Decoded<T>> watermarks(EnrichmentParameters parameters,
            SerializableFunction<T, Long> eventTime) {
        return DecodedWatermarks.boundedOutOfOrderness(parameters.maxOutOfOrderness(), parameters.idleness(), eventTime);
    }
}
