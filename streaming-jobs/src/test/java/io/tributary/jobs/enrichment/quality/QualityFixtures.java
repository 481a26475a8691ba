package io.tributary.jobs.enrichment.quality;

import io.tributary.events.MaskedTransaction;
import io.tributary.events.PaymentChannel;
import io.tributary.events.TransactionStatus;
import io.tributary.jobs.common.Decoded;
import io.tributary.jobs.common.Origin;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.clusterframework.types.ResourceID;
import org.apache.flink.runtime.executiongraph.ExecutionAttemptID;
import org.apache.flink.runtime.metrics.groups.TaskManagerMetricGroup;
import org.apache.flink.runtime.metrics.util.TestingMetricRegistry;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;

/** Payments, profiles and metrics for the input-quality tests. */
final class QualityFixtures {
    static final String TOPIC = "payments.transactions.v1";
    static final long WINDOW = 60_000;
    /** Defaults, but a baseline of 4 windows, judged from 2, and 10 payments enough. */
    static final InputQualityParameters PARAMETERS = new InputQualityParameters(Duration.ofMillis(WINDOW), 4, 2, 10,
            0.5, 2.0, 0.25, 0.2);

    private QualityFixtures() {}

    /** A decoded payment of {@link #TOPIC}, with an e-mail token or without, written with schema 7. */
    static Decoded<MaskedTransaction> payment(String amount, String currency, boolean withEmail) {
        return payment(amount, currency, withEmail, 7);
    }

    static Decoded<MaskedTransaction> payment(String amount, String currency, boolean withEmail, int writerSchemaId) {
        MaskedTransaction t = MaskedTransaction.newBuilder()
                .setEventId(UUID.randomUUID()).setTransactionId("tx").setAccountId("acc").setCardToken("token")
                .setCardLast4("4242").setMerchantId("m-1").setAmount(new BigDecimal(amount)).setCurrency(currency)
                .setEventTime(Instant.EPOCH).setStatus(TransactionStatus.AUTHORIZED).setChannel(PaymentChannel.ECOMMERCE)
                .setCountry("DE").setDeviceId("device").setIpPrefix("10.0.0.0/24")
                .setEmailToken(withEmail ? "email-token" : null).setLocation(null)
                .build();
        Origin origin = new Origin();
        origin.topic = TOPIC;
        Decoded<MaskedTransaction> decoded = Decoded.value(t, origin);
        decoded.writerSchemaId = writerSchemaId;
        return decoded;
    }

    /** A window's profile of {@code records} payments of 10 EUR, every fourth (the first too) without e-mail. */
    static InputProfile profile(long windowStart, int records) {
        InputProfile.Accumulator accumulator = new InputProfile.Accumulator(TOPIC);
        for (int i = 0; i < records; i++) {
            accumulator.add(payment("10", "EUR", i % 4 != 0).value, 7);
        }
        return accumulator.toProfile(windowStart);
    }

    static List<InputProfile> baseline(int... records) {
        List<InputProfile> windows = new ArrayList<>();
        for (int i = 0; i < records.length; i++) {
            windows.add(profile(i * WINDOW, records[i]));
        }
        return windows;
    }

    /** An operator environment whose metrics, with their groups, can be read back by name. */
    static final class RecordedMetrics {
        private final Map<String, Metric> byIdentifier = new ConcurrentHashMap<>();

        MockEnvironment environment() {
            TestingMetricRegistry registry = TestingMetricRegistry.builder()
                    .setRegisterConsumer((metric, name, group) -> byIdentifier.put(group.getMetricIdentifier(name), metric))
                    .build();
            var task = TaskManagerMetricGroup.createTaskManagerMetricGroup(registry, "host", ResourceID.generate())
                    .addJob(new JobID(), "job").addTask(ExecutionAttemptID.randomId(), "task");
            return new MockEnvironmentBuilder().setMetricGroup(task).build();
        }

        /** A metric by the end of its identifier, e.g. {@code topic.payments.transactions.v1.amountPsi}. */
        Metric get(String identifierEnd) {
            return byIdentifier.entrySet().stream().filter(e -> e.getKey().endsWith("." + identifierEnd))
                    .map(Map.Entry::getValue).findFirst()
                    .orElseThrow(() -> new AssertionError("no metric " + identifierEnd + " in " + byIdentifier.keySet()));
        }

        double gauge(String name) {
            return ((Number) ((Gauge<?>) get("topic." + TOPIC + "." + name)).getValue()).doubleValue();
        }

        long counter(String name) {
            return ((Counter) get("topic." + TOPIC + "." + name)).getCount();
        }
    }
}
