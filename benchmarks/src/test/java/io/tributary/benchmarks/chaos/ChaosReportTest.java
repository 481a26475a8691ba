package io.tributary.benchmarks.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChaosReportTest {
    private static final Optional<Duration> SETTLED = Optional.of(Duration.ofSeconds(12));
    private static final Duration SETTLE = Duration.ofMinutes(5);
    private static final List<Fault> FAULTS = List.of(new Fault("SIGKILL TaskManager", Duration.ofSeconds(3), "pid 1"));
    /** Three enriched payments of accounts x and y, counted in the minute rows; one alert; x and y in Redis. */
    private static final DownstreamReport CLEAN_DOWNSTREAM = new DownstreamReport(3, 3, Map.of("alert-1", 1), 0,
            Set.of("x", "y"), Set.of("x", "y", "z"), 2, Map.of(), Map.of());
    /** Four raw records as four rows, the two enriched events and the alert once each. */
    private static final WarehouseReport CLEAN_WAREHOUSE = new WarehouseReport(4, 4, 4, 0, Set.of("a", "b"),
            Map.of("a", 1, "b", 1), Set.of("alert-1"), Map.of("alert-1", 1));
    /** Two canaries, both delivered; only the input topic (a control) holds them. */
    private static final CanaryReport CLEAN_CANARIES = new CanaryReport(2, 2, List.of(
            new CanaryReport.Place("topic payments", true, new Canaries.Found(2, 2)),
            new CanaryReport.Place("topic enriched", false, Canaries.Found.NONE)));

    @Test
    void everyEventOnceEnrichedOrLateIsClean() {
        ChaosReport report = new ChaosReport(FAULTS, 4, Set.of("a", "b", "c"), Set.of("t"),
                Map.of("DECODE_X", 1L), Map.of("a", 1, "b", 1, "t", 1), Map.of("c", 1), Map.of("p/0/7", 1),
                Map.of("DECODE_X", 1L), 0, CLEAN_DOWNSTREAM, CLEAN_WAREHOUSE, CLEAN_CANARIES, SETTLED, SETTLE);

        assertThat(report.lost()).isZero();
        assertThat(report.duplicated()).isZero();
        assertThat(report.unexpected()).isZero();
        assertThat(report.clean()).isTrue();
        assertThat(report.table()).contains("| enriched + late | 3 | 3 | 0 | 0 | 0 |", "| DECODE_X | 1 | 1 |",
                "| 1 | SIGKILL TaskManager | 3.0 s | pid 1 |", "Every check held 12 s after the input was written",
                "nothing lost");
    }

    @Test
    void countsLostDuplicatedAndMadeUpEvents() {
        // b is missing, a came out twice enriched and c once enriched and once late, x was never written.
        ChaosReport report = new ChaosReport(FAULTS, 3, Set.of("a", "b", "c"), Set.of(), Map.of(),
                Map.of("a", 2, "c", 1, "x", 1), Map.of("c", 1), Map.of(), Map.of(), 0, CLEAN_DOWNSTREAM, CLEAN_WAREHOUSE,
                CLEAN_CANARIES, SETTLED, SETTLE);

        assertThat(report.lost()).isEqualTo(1);
        assertThat(report.duplicated()).isEqualTo(2);
        assertThat(report.unexpected()).isEqualTo(1);
        assertThat(report.clean()).isFalse();
        assertThat(report.table()).contains("FAILED");
    }

    @Test
    void countsDeadLettersMissingTwiceOrBeyondTheRejectedRecords() {
        ChaosReport missing = new ChaosReport(FAULTS, 3, Set.of(), Set.of(), Map.of("DECODE_X", 3L), Map.of(), Map.of(),
                Map.of("p/0/1", 2, "p/0/2", 1), Map.of("DECODE_X", 3L), 0, CLEAN_DOWNSTREAM, CLEAN_WAREHOUSE, CLEAN_CANARIES,
                SETTLED, SETTLE);
        ChaosReport extra = new ChaosReport(FAULTS, 1, Set.of(), Set.of(), Map.of("DECODE_X", 1L), Map.of(), Map.of(),
                Map.of("p/0/1", 1, "p/0/2", 1), Map.of("DECODE_X", 2L), 0, CLEAN_DOWNSTREAM, CLEAN_WAREHOUSE, CLEAN_CANARIES,
                SETTLED, SETTLE);

        assertThat(missing.deadLettersLost()).isEqualTo(1);
        assertThat(missing.deadLettersDuplicated()).isEqualTo(1);
        assertThat(extra.deadLettersUnexpected()).isEqualTo(1);
        assertThat(missing.clean()).isFalse();
        assertThat(extra.clean()).isFalse();
    }

    @Test
    void aDeadLetterWithAnotherReasonThanItsRecordCallsForFailsTheRun() {
        // One dead letter for the one rejected record, but it says the body does not decode where the
        // record was cut short.
        ChaosReport report = new ChaosReport(FAULTS, 1, Set.of(), Set.of(), Map.of("DECODE_TRUNCATED", 1L), Map.of(),
                Map.of(), Map.of("p/0/1", 1), Map.of("DECODE_UNDECODABLE_AVRO", 1L), 0, CLEAN_DOWNSTREAM, CLEAN_WAREHOUSE,
                CLEAN_CANARIES, SETTLED, SETTLE);

        assertThat(report.deadLettersLost()).isZero();
        assertThat(report.deadLettersUnexpected()).isZero();
        assertThat(report.clean()).isFalse();
        assertThat(report.table()).contains("| DECODE_TRUNCATED | 0 | 1 |", "| DECODE_UNDECODABLE_AVRO | 1 | 0 |", "FAILED");
    }

    @Test
    void anUndecodableOutputRecordIsNotClean() {
        ChaosReport report = new ChaosReport(FAULTS, 0, Set.of(), Set.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(),
                1, CLEAN_DOWNSTREAM, CLEAN_WAREHOUSE, CLEAN_CANARIES, SETTLED, SETTLE);

        assertThat(report.clean()).isFalse();
    }

    @Test
    void downstreamChecksPassWhenTheStoresMatchTheEnrichedOutput() {
        assertThat(CLEAN_DOWNSTREAM.clean()).isTrue();
        assertThat(CLEAN_DOWNSTREAM.table()).contains(
                "| live-metrics: payments in the minute rows (PostgreSQL) | 3 | 3 | equal to the enriched payments |",
                "| fraud-detection: alerts, distinct ids (fraud.alerts.v1) | 1 | - | 0 duplicated |",
                "| fraud-detection: enriched accounts with a feature hash (Redis) | 2 | 2 | ok |",
                "| fraud-detection: account feature values as of the newest payment (Redis) | 2 | 2 | ok |");
    }

    @Test
    void oneFeatureHashIn1000MayMissAPaymentScoredOutOfOrder() {
        DownstreamReport oneIn2000 = new DownstreamReport(3, 3, Map.of(), 0, Set.of(), Set.of(), 2_000,
                Map.of("x", "count_1m 1, expected 2.0"), Map.of());
        DownstreamReport threeIn2000 = new DownstreamReport(3, 3, Map.of(), 0, Set.of(), Set.of(), 2_000,
                Map.of("x", "count_1m 1, expected 2.0", "y", "count_1m 1, expected 2.0", "z", "count_1m 1, expected 2.0"),
                Map.of());

        assertThat(oneIn2000.clean()).isTrue();
        assertThat(oneIn2000.table()).contains("| 1,999 | 2,000 | within 1 per 1,000: 1 differ, e.g. x=count_1m 1, expected 2.0 |");
        assertThat(threeIn2000.clean()).isFalse();
    }

    @Test
    void eachDownstreamFailureMakesTheRunFail() {
        List<DownstreamReport> failures = List.of(
                new DownstreamReport(3, 2, Map.of(), 0, Set.of(), Set.of(), 1, Map.of(), Map.of()),
                new DownstreamReport(3, 3, Map.of("alert-1", 2), 0, Set.of(), Set.of(), 1, Map.of(), Map.of()),
                new DownstreamReport(3, 3, Map.of("alert-1", 1), 1, Set.of(), Set.of(), 1, Map.of(), Map.of()),
                new DownstreamReport(3, 3, Map.of(), 0, Set.of("x", "y"), Set.of("x"), 1, Map.of(), Map.of()),
                // a feature value that differs; no account checked at all
                new DownstreamReport(3, 3, Map.of(), 0, Set.of(), Set.of(), 1, Map.of("x", "count_1h 2, expected 3.0"),
                        Map.of()),
                new DownstreamReport(3, 3, Map.of(), 0, Set.of(), Set.of(), 0, Map.of(), Map.of()),
                new DownstreamReport(3, 3, Map.of(), 0, Set.of(), Set.of(), 1, Map.of(), Map.of("live-metrics", 1L)));

        for (DownstreamReport downstream : failures) {
            ChaosReport report = new ChaosReport(FAULTS, 0, Set.of(), Set.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(),
                    0, downstream, CLEAN_WAREHOUSE, CLEAN_CANARIES, SETTLED, SETTLE);
            assertThat(downstream.clean()).as(downstream.toString()).isFalse();
            assertThat(report.clean()).as(downstream.toString()).isFalse();
            assertThat(report.table()).contains("FAILED");
        }
        assertThat(failures.get(1).table()).contains("DUPLICATED: 1");
        assertThat(failures.get(3).table()).contains("MISSING: 1");
        assertThat(failures.get(4).table()).contains("| 0 | 1 | DIFFERENT: 1 differ, e.g. x=count_1h 2, expected 3.0 |");
    }

    @Test
    void warehouseTablesWithEachRecordOnceAreClean() {
        assertThat(CLEAN_WAREHOUSE.clean()).isTrue();
        assertThat(CLEAN_WAREHOUSE.table()).contains(
                "| raw_transactions (measured input records) | 4 | 4 | 0 | 0 | 0 |",
                "| transactions_enriched (vs the enriched topic) | 2 | 2 | 0 | 0 | 0 |",
                "| fraud_alerts (vs the alerts topic) | 1 | 1 | 0 | 0 | 0 |");
    }

    @Test
    void eachWarehouseFailureMakesTheRunFail() {
        List<WarehouseReport> failures = List.of(
                // a raw record missing; one written twice
                new WarehouseReport(4, 3, 3, 0, Set.of(), Map.of(), Set.of(), Map.of()),
                new WarehouseReport(4, 5, 4, 0, Set.of(), Map.of(), Set.of(), Map.of()),
                // an enriched event missing, twice, made up
                new WarehouseReport(4, 4, 4, 0, Set.of("a", "b"), Map.of("a", 1), Set.of(), Map.of()),
                new WarehouseReport(4, 4, 4, 0, Set.of("a"), Map.of("a", 2), Set.of(), Map.of()),
                new WarehouseReport(4, 4, 4, 0, Set.of("a"), Map.of("a", 1, "x", 1), Set.of(), Map.of()),
                // an alert missing, twice, made up
                new WarehouseReport(4, 4, 4, 0, Set.of(), Map.of(), Set.of("alert-1"), Map.of()),
                new WarehouseReport(4, 4, 4, 0, Set.of(), Map.of(), Set.of("alert-1"), Map.of("alert-1", 2)),
                new WarehouseReport(4, 4, 4, 0, Set.of(), Map.of(), Set.of(), Map.of("alert-9", 1)),
                // a row of a record that must have been rejected
                new WarehouseReport(4, 4, 4, 1, Set.of(), Map.of(), Set.of(), Map.of()),
                // no table yet
                WarehouseReport.notCreated(4));

        for (WarehouseReport warehouse : failures) {
            ChaosReport report = new ChaosReport(FAULTS, 0, Set.of(), Set.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(),
                    0, CLEAN_DOWNSTREAM, warehouse, CLEAN_CANARIES, SETTLED, SETTLE);
            assertThat(warehouse.clean()).as(warehouse.toString()).isFalse();
            assertThat(report.clean()).as(warehouse.toString()).isFalse();
        }
        assertThat(failures.get(1).table()).contains("| raw_transactions (measured input records) | 4 | 4 | 0 | 1 | 0 |");
        assertThat(failures.get(2).table()).contains("| transactions_enriched (vs the enriched topic) | 1 | 2 | 1 | 0 | 0 |");
    }

    @Test
    void aRunThatDidNotSettleSaysSo() {
        ChaosReport report = new ChaosReport(FAULTS, 0, Set.of(), Set.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), 0,
                CLEAN_DOWNSTREAM, CLEAN_WAREHOUSE, CLEAN_CANARIES, Optional.empty(), SETTLE);

        assertThat(report.table()).contains("NOT SETTLED: the checks did not all hold within 300 s");
    }

    @Test
    void canariesOnlyInControlPlacesAreClean() {
        assertThat(CLEAN_CANARIES.clean()).isTrue();
        assertThat(CLEAN_CANARIES.table()).contains(
                "| topic payments | 2 | 2 | control: holds clear personal data by design |",
                "| topic enriched | 0 | 0 | ok |");
    }

    @Test
    void aCanaryOutsideTheControlsOrNotDeliveredFailsTheRun() {
        CanaryReport leak = new CanaryReport(2, 2, List.of(
                new CanaryReport.Place("Redis, all keys and values", false, new Canaries.Found(0, 1))));
        CanaryReport undelivered = new CanaryReport(2, 1, List.of());
        CanaryReport none = new CanaryReport(0, 0, List.of());

        assertThat(leak.leaks()).extracting(CanaryReport.Place::name).containsExactly("Redis, all keys and values");
        assertThat(leak.table()).contains("| Redis, all keys and values | 0 | 1 | LEAK |");
        for (CanaryReport canaries : List.of(leak, undelivered, none)) {
            assertThat(canaries.clean()).as(canaries.toString()).isFalse();
            ChaosReport report = new ChaosReport(FAULTS, 0, Set.of(), Set.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(),
                    0, CLEAN_DOWNSTREAM, CLEAN_WAREHOUSE, canaries, SETTLED, SETTLE);
            assertThat(report.clean()).isFalse();
        }
    }
}
