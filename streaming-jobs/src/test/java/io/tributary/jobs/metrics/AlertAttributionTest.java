package io.tributary.jobs.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.events.EnrichedTransaction;
import io.tributary.events.FraudAlert;
import io.tributary.events.TransactionStatus;
import io.tributary.testing.TestAlerts;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** {@link AlertAttribution} alone, in Flink's keyed two-input operator test harness on RocksDB. */
class AlertAttributionTest {

    private static KeyedTwoInputStreamOperatorTestHarness<String, EnrichedTransaction, FraudAlert, Contribution> harness()
            throws Exception {
        var harness = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new AlertAttribution(Duration.ofHours(2))),
                (EnrichedTransaction p) -> AlertAttribution.key(p), (FraudAlert a) -> AlertAttribution.key(a),
                Types.STRING);
        harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        harness.open();
        return harness;
    }

    static EnrichedTransaction payment(String id, long time, String category, String country, String usd,
            TransactionStatus status) {
        EnrichedTransaction e = new EnrichedTransaction();
        e.setEventId(UUID.nameUUIDFromBytes(id.getBytes()));
        e.setTransactionId("tx-" + id);
        e.setAccountId("acc-1");
        e.setCardToken("card-1");
        e.setCardLast4("4242");
        e.setMerchantId("m-1");
        e.setAmount(new BigDecimal(usd).setScale(4));
        e.setCurrency("USD");
        e.setAmountUsd(new BigDecimal(usd).setScale(4));
        e.setFxRateKnown(true);
        e.setEventTime(Instant.ofEpochMilli(time));
        e.setStatus(status);
        e.setChannel(io.tributary.events.PaymentChannel.POS);
        e.setCountry(country);
        e.setAccountKnown(true);
        e.setMerchantKnown(category != null);
        e.setMerchantCategoryCode(category);
        return e;
    }

    static FraudAlert alert(EnrichedTransaction payment, String rule) {
        return TestAlerts.alert(payment, rule, Instant.now());
    }

    private static List<String> out(
            KeyedTwoInputStreamOperatorTestHarness<String, EnrichedTransaction, FraudAlert, Contribution> h) {
        return h.getOutput().stream().filter(StreamRecord.class::isInstance).map(r -> (StreamRecord<?>) r)
                .map(r -> {
                    Contribution c = (Contribution) r.getValue();
                    return r.getTimestamp() + " " + c.category + "/" + c.country + " p" + c.payments + " $" + c.amountUsd
                            + " d" + c.declines + " a" + c.alerts;
                }).toList();
    }

    @Test
    void aPaymentCountsOnceInItsMinuteAndAnAlertCountsWhereItsPaymentDoes() throws Exception {
        try (var h = harness()) {
            EnrichedTransaction p = payment("p1", 61_000, "5411", "DE", "12.5", TransactionStatus.DECLINED);
            h.processElement1(p, 61_000);
            h.processElement1(p, 61_000);
            h.processElement2(alert(p, "burst"), 61_000);
            h.processElement2(alert(p, "burst"), 61_000);
            h.processElement2(alert(p, "travel"), 61_000);

            assertThat(out(h)).containsExactly("61000 5411/DE p1 $12.5 d1 a0", "61000 5411/DE p0 $0.0 d0 a1",
                    "61000 5411/DE p0 $0.0 d0 a1");
        }
    }

    @Test
    void anAlertBeforeItsPaymentWaitsForIt() throws Exception {
        try (var h = harness()) {
            EnrichedTransaction p = payment("p2", 5_000, null, "FR", "3", TransactionStatus.AUTHORIZED);
            h.processElement2(alert(p, "burst"), 5_000);
            assertThat(out(h)).isEmpty();

            h.processElement1(p, 5_000);

            assertThat(out(h)).containsExactly("5000 unknown/FR p1 $3.0 d0 a0", "5000 unknown/FR p0 $0.0 d0 a1");
        }
    }

    @Test
    void theSameEventIdUnderTwoAccountsIsTwoPaymentsAsInTheEnrichedTopic() throws Exception {
        try (var h = harness()) {
            EnrichedTransaction first = payment("p3", 5_000, "5411", "DE", "3", TransactionStatus.AUTHORIZED);
            EnrichedTransaction second = payment("p3", 5_000, "5411", "DE", "4", TransactionStatus.AUTHORIZED);
            second.setAccountId("acc-2");
            h.processElement1(first, 5_000);
            h.processElement1(second, 5_000);
            h.processElement1(second, 5_000);
            h.processElement2(alert(second, "burst"), 5_000);

            assertThat(out(h)).containsExactly("5000 5411/DE p1 $3.0 d0 a0", "5000 5411/DE p1 $4.0 d0 a0",
                    "5000 5411/DE p0 $0.0 d0 a1");
        }
    }
}
