package io.tributary.jobs.warehouse;

import static io.tributary.jobs.warehouse.RowAssertions.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.localstack.pipeline.GeneratedTransaction;
import io.tributary.localstack.pipeline.TrafficKind;
import io.tributary.testing.PiiCanary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.iceberg.DataFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What warehouse-sink wrote ({@link WarehouseFixture}): through two failures after completed
 * checkpoints, with compaction and expiry running on its tables, every table holds what its topic
 * committed, once. Reads the shared tables only.
 */
@ExtendWith(WarehouseFixtureExtension.class)
class WarehouseSinkIT {
    private final WarehouseFixture fixture;

    WarehouseSinkIT(WarehouseFixture fixture) {
        this.fixture = fixture;
    }

    @Test
    void theSinkFailedTwiceAfterCompletedCheckpointsWhileCompactionAndExpiryRan() {
        assertThat(fixture.failuresInjected()).isEqualTo(2);
        assertThat(fixture.compactions).isGreaterThanOrEqualTo(4);
        assertThat(fixture.expiries).isGreaterThanOrEqualTo(2);
    }

    @Test
    void theRawTableHoldsEveryDecodableRecordOnceMasked() {
        List<String> expectedIds = fixture.input.stream().filter(g -> !g.kind().rejected())
                .map(g -> g.transaction().getEventId().toString()).sorted().toList();
        List<Map<String, Object>> rawRows = fixture.rawRows;

        assertThat(rawRows).extracting(r -> r.get("ingest_partition") + "@" + r.get("ingest_offset"))
                .doesNotHaveDuplicates();
        assertThat(rawRows.stream().map(r -> (String) r.get("event_id")).sorted().toList()).isEqualTo(expectedIds);
        assertThat(rawRows).allSatisfy(r -> {
            assertThat(r.get("ingest_topic")).isEqualTo(fixture.setup.topic("transactions"));
            assertThat(r.get("card_token")).isNotNull();
        });
        PiiCanary canary = PiiCanary.of(fixture.input.stream().map(GeneratedTransaction::transaction).toList());
        assertThat(canary.findInText(rawRows.toString(), "raw_transactions")).isEmpty();
        assertThat(fixture.input.stream().filter(g -> g.kind() == TrafficKind.DUPLICATE).count())
                .isGreaterThan(WarehouseFixture.RECORDS / 50);
    }

    @Test
    void theEnrichedAndAlertTablesHoldWhatTheirTopicsCommittedOnceEach() {
        LocalWarehouse warehouse = fixture.warehouse;
        Set<String> enrichedColumns = warehouse.columns(WarehouseTable.TRANSACTIONS_ENRICHED);
        assertSameRows(fixture.enrichedRows,
                fixture.enrichedTopic.stream().map(e -> TableRows.of(e, enrichedColumns)).toList());

        Set<String> alertColumns = warehouse.columns(WarehouseTable.FRAUD_ALERTS);
        List<Map<String, Object>> alertRows = TableRows.read(warehouse.table(WarehouseTable.FRAUD_ALERTS));
        assertSameRows(alertRows, fixture.alerts.stream().map(a -> TableRows.of(a, alertColumns)).toList());
        assertThat(alertRows).hasSizeGreaterThan(100);
    }

    @Test
    void theChangelogTablesKeepEveryVersionWithoutPersonalData() {
        LocalWarehouse warehouse = fixture.warehouse;
        List<Map<String, Object>> accountRows = TableRows.read(warehouse.table(WarehouseTable.ACCOUNTS));
        assertThat(accountRows).hasSize(fixture.accounts);
        assertThat(accountRows.get(0)).doesNotContainKeys("customer_name", "email").containsKey("risk_tier");
        assertThat(TableRows.read(warehouse.table(WarehouseTable.MERCHANTS))).hasSize(fixture.merchants);
        assertThat(TableRows.read(warehouse.table(WarehouseTable.FX_RATES))).hasSize(fixture.rates.size());
    }

    @Test
    void eachEventTableRecordsHowFarInEventTimeItsCommittedRowsReach() {
        for (WarehouseTable t : WarehouseTable.values()) {
            Optional<Instant> marker = CommittedWatermark.of(fixture.warehouse.table(t));
            if (t.isChangelog()) {
                assertThat(marker).as(t.tableName()).isEmpty();
                continue;
            }
            Instant newest = TableRows.read(fixture.warehouse.table(t)).stream()
                    .map(r -> (Instant) r.get(WarehouseTable.EVENT_TIME)).max(Instant::compareTo).orElseThrow();
            // Behind the newest row by the out-of-orderness at least; well into the fixture's fourth hour.
            assertThat(marker).as(t.tableName()).hasValueSatisfying(w -> assertThat(w)
                    .isBefore(newest.minus(WarehouseOptions.MAX_OUT_OF_ORDERNESS.defaultValue()))
                    .isAfter(fixture.start.plus(Duration.ofHours(3))));
        }
    }

    @Test
    void eventTablesArePartitionedByTheHourOfTheirEventTime() throws Exception {
        Map<String, List<DataFile>> files = TableFiles.byPartition(
                fixture.warehouse.table(WarehouseTable.TRANSACTIONS_ENRICHED));
        Set<String> hours = fixture.enrichedTopic.stream()
                .map(e -> WarehouseFixture.partition(e.getEventTime())).collect(Collectors.toSet());

        assertThat(files.keySet()).isEqualTo(hours);
        assertThat(hours).hasSizeGreaterThanOrEqualTo(3);
    }
}
