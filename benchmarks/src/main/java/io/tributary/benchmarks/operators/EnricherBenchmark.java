package io.tributary.benchmarks.operators;

import io.tributary.events.EnrichedTransaction;
import io.tributary.events.FxRate;
import io.tributary.events.MaskedTransaction;
import io.tributary.events.Transaction;
import io.tributary.jobs.enrichment.AccountEvent;
import io.tributary.jobs.enrichment.AccountSnapshot;
import io.tributary.jobs.enrichment.ReferenceUpdate;
import io.tributary.jobs.enrichment.TransactionEnricher;
import io.tributary.jobs.pii.PiiMasker;
import io.tributary.jobs.pii.TokenizationKey;
import io.tributary.localstack.pipeline.PaymentEventGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Deduplication and enrichment of one new payment whose account and FX rate are known, through the
 * keyed-broadcast operator test harness: the state accesses of the enricher on RocksDB (as in
 * production) and on the heap, for comparison.
 */
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "--add-opens=java.base/java.util=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED"})
public class EnricherBenchmark extends OperatorBenchmark {
    private static final int ACCOUNTS = 10_000;

    @Param({"rocksdb", "hashmap"})
    public String backend;

    private KeyedBroadcastOperatorTestHarness<String, AccountEvent, ReferenceUpdate, EnrichedTransaction> harness;
    private MaskedTransaction[] payments;
    private long next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        TransactionEnricher enricher = new TransactionEnricher(Duration.ofSeconds(5), Duration.ofMinutes(1),
                Duration.ofSeconds(30), Duration.ofHours(24), Duration.ofDays(7), "benchmark");
        harness = new KeyedBroadcastOperatorTestHarness<>(new CoBroadcastWithKeyedOperator<>(enricher,
                List.of(TransactionEnricher.MERCHANTS, TransactionEnricher.FX_RATES)),
                AccountEvent::getAccountId, Types.STRING, 128, 1, 0);
        harness.setStateBackend(stateBackend());
        harness.open();
        PaymentEventGenerator generator = new PaymentEventGenerator(new PaymentEventGenerator.Options()
                .accounts(ACCOUNTS).malformedRate(0).duplicateRate(0).late(0, Duration.ofMinutes(10)));
        for (var profile : generator.accounts()) {
            harness.processElement(AccountEvent.profile(AccountSnapshot.of(profile)), 0);
        }
        for (FxRate rate : generator.fxRates(Instant.parse("2026-11-27T07:00:00Z"), Instant.parse("2026-11-28T00:00:00Z"))) {
            harness.processBroadcastElement(ReferenceUpdate.of(rate), 0);
        }
        generator.merchants().forEach(m -> {
            try {
                harness.processBroadcastElement(ReferenceUpdate.of(m), 0);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        PiiMasker masker = PiiMasker.create(TokenizationKey.fromBase64(Base64.getEncoder().encodeToString(new byte[32])));
        payments = new MaskedTransaction[100_000];
        for (int i = 0; i < payments.length; i++) {
            Transaction t = generator.next().transaction();
            payments[i] = masker.mask(t);
        }
    }

    /**
     * The harness's mock environment gives RocksDB almost no managed memory, so that it would flush
     * its memtable on every few writes; give it a slot's worth, as a task manager does.
     */
    private StateBackend stateBackend() {
        if (!backend.equals("rocksdb")) {
            return new HashMapStateBackend();
        }
        EmbeddedRocksDBStateBackend rocksDb = new EmbeddedRocksDBStateBackend();
        rocksDb.getMemoryConfiguration().setFixedMemoryPerSlot(MemorySize.parse("256mb"));
        return rocksDb;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        harness.close();
    }

    /** A payment never seen before (a fresh event id), enriched at once. */
    @Benchmark
    public void enrichNewPayment() throws Exception {
        MaskedTransaction payment = payments[(int) (next % payments.length)];
        payment.setEventId(new UUID(next, next++));
        harness.processElement(AccountEvent.payment(payment, null), payment.getEventTime().toEpochMilli());
        harness.getOutput().clear();
    }
}
