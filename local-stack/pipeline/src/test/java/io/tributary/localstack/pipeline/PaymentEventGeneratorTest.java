package io.tributary.localstack.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tributary.events.Transaction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PaymentEventGeneratorTest {
    private static final int N = 50_000;

    private static List<GeneratedTransaction> generate(PaymentEventGenerator.Options options) {
        PaymentEventGenerator generator = new PaymentEventGenerator(options);
        List<GeneratedTransaction> records = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            records.add(generator.next());
        }
        return records;
    }

    @Test
    void theSameSeedGivesTheSameTraffic() {
        var options = new PaymentEventGenerator.Options().seed(7);
        assertThat(generate(options)).isEqualTo(generate(new PaymentEventGenerator.Options().seed(7)));
        assertThat(generate(options)).isNotEqualTo(generate(new PaymentEventGenerator.Options().seed(8)));
    }

    @Test
    void mixesTheKindsInTheConfiguredProportions() {
        Map<TrafficKind, Integer> counts = new EnumMap<>(TrafficKind.class);
        generate(new PaymentEventGenerator.Options()).forEach(g -> counts.merge(g.kind(), 1, Integer::sum));

        assertThat(share(counts, TrafficKind.DUPLICATE)).isCloseTo(0.05, within(0.01));
        double rejected = counts.entrySet().stream().filter(e -> e.getKey().rejected())
                .mapToDouble(e -> e.getValue() / (double) N).sum();
        assertThat(rejected).isCloseTo(0.0095, within(0.003));
        assertThat(share(counts, TrafficKind.LATE)).isCloseTo(0.0048, within(0.002));
        assertThat(share(counts, TrafficKind.OUT_OF_ORDER)).isCloseTo(0.047, within(0.01));
    }

    @Test
    void fraudPatternsAreLabelledAndShapedAsTheirRulesExpect() {
        var generator = new PaymentEventGenerator(new PaymentEventGenerator.Options().fraudRate(0.02));
        java.util.List<GeneratedTransaction> traffic = new java.util.ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            traffic.add(generator.next());
        }
        Map<TrafficKind, Integer> counts = new EnumMap<>(TrafficKind.class);
        traffic.forEach(g -> counts.merge(g.kind(), 1, Integer::sum));
        assertThat(counts.get(TrafficKind.FRAUD_CARD_TESTING) % 6).isZero();
        assertThat(counts).containsKeys(TrafficKind.FRAUD_IMPOSSIBLE_TRAVEL, TrafficKind.FRAUD_AMOUNT_SPIKE);
        // A pattern is one kind and one card, numbered from 1 in order; nothing else has a number.
        Map<Long, List<GeneratedTransaction>> byPattern = new TreeMap<>();
        for (GeneratedTransaction g : traffic) {
            assertThat(g.pattern() != 0).as("%s in a pattern", g.kind()).isEqualTo(g.kind().fraud());
            if (g.pattern() != 0) {
                byPattern.computeIfAbsent(g.pattern(), p -> new ArrayList<>()).add(g);
            }
        }
        assertThat(byPattern.keySet()).containsExactlyElementsOf(LongStream.rangeClosed(1, byPattern.size()).boxed().toList());
        for (var payments : byPattern.values()) {
            TrafficKind kind = payments.get(0).kind();
            assertThat(payments).allMatch(g -> g.kind() == kind);
            assertThat(payments).extracting(g -> g.transaction().getCardNumber()).containsOnly(
                    payments.get(0).transaction().getCardNumber());
            switch (kind) {
                case FRAUD_CARD_TESTING -> assertThat(payments).hasSize(6);
                case FRAUD_IMPOSSIBLE_TRAVEL -> assertThat(payments).extracting(g -> g.transaction().getCountry())
                        .containsExactly("US", "JP");
                default -> assertThat(payments).singleElement()
                        .matches(g -> g.transaction().getAmount().doubleValue() >= 8_000);
            }
        }
        assertThat(new PaymentEventGenerator(new PaymentEventGenerator.Options()).next().kind().fraud()).isFalse();
    }

    @Test
    void withAPauseCleanTrafficHasNoBurstAndNoCardFasterThanACar() {
        // The local run's shape: 500 payments/s over 200 s of event time.
        var generator = new PaymentEventGenerator(new PaymentEventGenerator.Options().accounts(50_000)
                .meanGap(Duration.ofMillis(2)).accountPause(Duration.ofMinutes(1)).duplicateRate(0).late(0, Duration.ZERO)
                .outOfOrder(0, Duration.ZERO));
        Map<String, Transaction> lastByCard = new HashMap<>();
        Map<String, Transaction> lastPresentByCard = new HashMap<>();
        double fastest = 0;
        for (int i = 0; i < 100_000; i++) {
            GeneratedTransaction g = generator.next();
            if (g.kind().rejected()) {
                continue;
            }
            Transaction t = g.transaction();
            Transaction before = lastByCard.put(t.getCardNumber(), t);
            if (before != null) {
                assertThat(Duration.between(before.getEventTime(), t.getEventTime())).as("gap between two payments of a card")
                        .isGreaterThanOrEqualTo(Duration.ofMinutes(1));
            }
            if (t.getLocation() != null) {
                Transaction present = lastPresentByCard.put(t.getCardNumber(), t);
                if (present != null) {
                    fastest = Math.max(fastest, kmPerHour(present, t));
                }
            } else {
                assertThat(t.getChannel().name()).isIn("ECOMMERCE", "MOBILE");
            }
        }
        assertThat(lastPresentByCard).hasSizeGreaterThan(1_000);
        assertThat(fastest).as("fastest card between two card-present payments, km/h").isBetween(1.0, 500.0);
    }

    private static double kmPerHour(Transaction from, Transaction to) {
        double lat1 = Math.toRadians(from.getLocation().getLatitude());
        double lat2 = Math.toRadians(to.getLocation().getLatitude());
        double dLon = Math.toRadians(to.getLocation().getLongitude() - from.getLocation().getLongitude());
        double a = Math.pow(Math.sin((lat2 - lat1) / 2), 2) + Math.cos(lat1) * Math.cos(lat2) * Math.pow(Math.sin(dLon / 2), 2);
        double km = 2 * 6371 * Math.asin(Math.sqrt(a));
        double hours = Duration.between(from.getEventTime(), to.getEventTime()).toMillis() / 3_600_000.0;
        return km / hours;
    }

    @Test
    void noLateEventBeforeTheWarmUp() {
        List<GeneratedTransaction> records = generate(new PaymentEventGenerator.Options().late(0.05, Duration.ofMinutes(5))
                .lateAfter(5_000));
        assertThat(records.subList(0, 4_000)).noneMatch(g -> g.kind() == TrafficKind.LATE);
        assertThat(records).anyMatch(g -> g.kind() == TrafficKind.LATE);
    }

    @Test
    void contractViolationsDecodeButBreakTheContract() {
        for (GeneratedTransaction g : generate(new PaymentEventGenerator.Options().malformedRate(0.2))) {
            switch (g.kind()) {
                case INVALID_NON_POSITIVE_AMOUNT -> assertThat(g.transaction().getAmount().signum()).isNegative();
                case INVALID_UNKNOWN_CURRENCY -> assertThat(g.transaction().getCurrency()).isEqualTo("XXY");
                default -> { }
            }
        }
    }

    @Test
    void duplicatesRepeatEarlierEventsAndEverythingElseIsNew() {
        Set<UUID> seen = new HashSet<>();
        for (GeneratedTransaction g : generate(new PaymentEventGenerator.Options())) {
            UUID id = g.transaction().getEventId();
            if (g.kind() == TrafficKind.DUPLICATE) {
                assertThat(seen).contains(id);
            } else {
                assertThat(seen.add(id)).as("event id %s is new", id).isTrue();
            }
        }
    }

    @Test
    void outOfOrderAndLateEventsAreBehindTheClockByTheirBounds() {
        var options = new PaymentEventGenerator.Options().outOfOrder(0.1, Duration.ofSeconds(2))
                .late(0.02, Duration.ofMinutes(5));
        PaymentEventGenerator generator = new PaymentEventGenerator(options);
        Instant newest = Instant.MIN;
        for (int i = 0; i < N; i++) {
            GeneratedTransaction g = generator.next();
            Instant time = g.transaction().getEventTime();
            switch (g.kind()) {
                case VALID -> {
                    assertThat(time).isAfterOrEqualTo(newest);
                    newest = time;
                }
                case OUT_OF_ORDER -> assertThat(Duration.between(time, generator.clock()))
                        .isPositive().isLessThanOrEqualTo(Duration.ofSeconds(2));
                case LATE -> assertThat(Duration.between(time, generator.clock()))
                        .isGreaterThanOrEqualTo(Duration.ofMinutes(5));
                default -> { }
            }
        }
    }

    @Test
    void eventTimeAdvancesAtTheConfiguredRate() {
        PaymentEventGenerator generator = new PaymentEventGenerator(new PaymentEventGenerator.Options()
                .meanGap(Duration.ofNanos(500_000)).duplicateRate(0));
        for (int i = 0; i < N; i++) {
            generator.next();
        }
        // 50,000 events at 2,000 a second: 25 s of event time.
        assertThat(Duration.between(Instant.parse("2026-11-27T08:00:00Z"), generator.clock()).toMillis())
                .isCloseTo(25_000L, within(1_000L));
    }

    @Test
    void looksLikeRealPayments() {
        PaymentEventGenerator generator = new PaymentEventGenerator(new PaymentEventGenerator.Options());
        Map<String, Integer> perAccount = new HashMap<>();
        for (int i = 0; i < N; i++) {
            GeneratedTransaction g = generator.next();
            if (g.kind().rejected()) {
                continue;
            }
            Transaction t = g.transaction();
            assertThat(luhnValid(t.getCardNumber())).as("Luhn check of a card number").isTrue();
            assertThat(t.getAmount().signum()).isPositive();
            assertThat(t.getAmount().scale()).isEqualTo(4);
            assertThat(t.getCurrency()).isIn("EUR", "GBP", "CHF", "USD", "JPY");
            perAccount.merge(t.getAccountId(), 1, Integer::sum);
        }
        int busiest10 = perAccount.values().stream().sorted((a, b) -> b - a).limit(10).mapToInt(Integer::intValue).sum();
        assertThat((double) busiest10 / N).as("share of the 10 busiest of 1,000 accounts").isGreaterThan(0.2);
        assertThat(generator.fxRates(Instant.parse("2026-11-27T08:00:00Z"), Instant.parse("2026-11-27T10:00:00Z")))
                .hasSize(4 * 4)
                .allSatisfy(r -> assertThat(r.getRateToUsd().signum()).isPositive());
    }

    private static double share(Map<TrafficKind, Integer> counts, TrafficKind kind) {
        return counts.getOrDefault(kind, 0) / (double) N;
    }

    private static boolean luhnValid(String number) {
        int sum = 0;
        for (int i = 0; i < number.length(); i++) {
            int d = number.charAt(number.length() - 1 - i) - '0';
            if (i % 2 == 1) {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }
            sum += d;
        }
        return sum % 10 == 0;
    }
}
