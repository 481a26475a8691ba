package io.tributary.jobs.warehouse;

import static io.tributary.jobs.warehouse.RowAssertions.assertSameRows;
import static io.tributary.jobs.warehouse.TableFiles.hashes;
import static io.tributary.jobs.warehouse.TableFiles.inside;
import static io.tributary.jobs.warehouse.TableFiles.outside;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.events.EnrichedTransaction;
import io.tributary.jobs.backfill.Backfill;
import io.tributary.jobs.backfill.BackfillRange;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The backfill recomputes the enriched table from the raw one that warehouse-sink wrote
 * ({@link WarehouseFixture}). Each test backfills its own copy of the tables.
 */
@ExtendWith(WarehouseFixtureExtension.class)
class WarehouseBackfillIT {
    private final WarehouseFixture fixture;

    WarehouseBackfillIT(WarehouseFixture fixture) {
        this.fixture = fixture;
    }

    @Test
    void aBackfillOfTheWholeRangeThroughTheCommandGivesTheSameRowsAsTheStream(LocalWarehouse warehouse) throws Exception {
        int hours = TableFiles.byPartition(warehouse.table(WarehouseTable.TRANSACTIONS_ENRICHED)).size();
        Instant end = fixture.start.plus(Duration.ofHours(5));
        // The fixture's stream stopped in the range's last hour; a live one would have moved on past it.
        Instant movedOn = end.plus(Duration.ofMinutes(2));
        CommittedWatermark.advance(warehouse.table(WarehouseTable.RAW_TRANSACTIONS), movedOn);
        CommittedWatermark.advance(warehouse.table(WarehouseTable.TRANSACTIONS_ENRICHED), movedOn);

        String report = warehouse.tributary("backfill", "--from", fixture.start.toString(),
                "--to", end.toString(), "-D", "parallelism.default=2");

        assertSameRows(TableRows.read(warehouse.table(WarehouseTable.TRANSACTIONS_ENRICHED)), fixture.enrichedRows);
        assertThat(report).contains("read " + fixture.rawRows.size() + " raw rows, wrote "
                + fixture.enrichedRows.size() + " enriched rows in place of " + fixture.enrichedRows.size()
                + ", replaced " + hours + " partitions")
                .contains("warehouse-sink has committed raw_transactions up to " + movedOn
                        + ", transactions_enriched up to " + movedOn)
                .doesNotContainPattern("\\d+ late").doesNotContain("attempt");
    }

    @Test
    void aBackfillWithChangedLogicReplacesExactlyItsPartitionsAndIsIdempotent(LocalWarehouse warehouse) throws Exception {
        Table enriched = warehouse.table(WarehouseTable.TRANSACTIONS_ENRICHED);
        Instant hour = fixture.start.plus(Duration.ofHours(1));
        String hourPartition = WarehouseFixture.partition(hour);
        Map<String, String> before = hashes(enriched);
        List<Map<String, Object>> rowsBefore = TableRows.read(enriched);
        BackfillRange range = BackfillRange.covering(hour, hour.plus(Duration.ofMinutes(30)), Instant.now());

        Backfill.Report first = backfill(warehouse, range, stream -> stream.map(new AdjustedFxRate(),
                TypeInformation.of(EnrichedTransaction.class)));
        List<Map<String, Object>> afterFirst = TableRows.read(enriched);
        Map<String, String> filesAfterFirst = hashes(enriched);
        Backfill.Report second = backfill(warehouse, range, stream -> stream.map(new AdjustedFxRate(),
                TypeInformation.of(EnrichedTransaction.class)));

        assertThat(first.partitionsReplaced()).isEqualTo(1);
        assertThat(second.partitionsReplaced()).isEqualTo(1);
        // Outside the range: the very same files, byte for byte.
        assertThat(outside(hashes(enriched), hourPartition)).isEqualTo(outside(before, hourPartition))
                .isEqualTo(outside(filesAfterFirst, hourPartition)).isNotEmpty();
        assertThat(inside(filesAfterFirst, hourPartition))
                .doesNotContainKeys(inside(before, hourPartition).keySet().toArray(String[]::new));
        // Inside it: the changed logic's rows, once, and the same after the second run.
        List<Map<String, Object>> expected = rowsBefore.stream()
                .map(r -> inHour(r, hour) ? adjusted(r) : r).toList();
        assertSameRows(afterFirst, expected);
        assertSameRows(TableRows.read(enriched), afterFirst);
        assertThat(expected.stream().filter(r -> inHour(r, hour) && !"USD".equals(r.get("currency"))).count())
                .isGreaterThan(100);
    }

    /** A test-only FX adjustment standing for a corrected conversion: 1% more USD for foreign currencies. */
    static final class AdjustedFxRate implements MapFunction<EnrichedTransaction, EnrichedTransaction> {
        @Override
        public EnrichedTransaction map(EnrichedTransaction e) {
            if (!"USD".equals(e.getCurrency()) && e.getFxRateToUsd() != null) {
                BigDecimal rate = e.getFxRateToUsd().multiply(new BigDecimal("1.01")).setScale(10, RoundingMode.HALF_EVEN);
                e.setFxRateToUsd(rate);
                e.setAmountUsd(e.getAmount().multiply(rate).setScale(4, RoundingMode.HALF_EVEN));
            }
            return e;
        }
    }

    private static Map<String, Object> adjusted(Map<String, Object> row) {
        if ("USD".equals(row.get("currency")) || row.get("fx_rate_to_usd") == null) {
            return row;
        }
        Map<String, Object> changed = new HashMap<>(row);
        BigDecimal rate = new BigDecimal((String) row.get("fx_rate_to_usd")).multiply(new BigDecimal("1.01"))
                .setScale(10, RoundingMode.HALF_EVEN);
        changed.put("fx_rate_to_usd", rate.stripTrailingZeros().toPlainString());
        changed.put("amount_usd", new BigDecimal((String) row.get("amount")).multiply(rate)
                .setScale(4, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString());
        return changed;
    }

    private static boolean inHour(Map<String, Object> row, Instant hour) {
        Instant t = (Instant) row.get("event_time");
        return !t.isBefore(hour) && t.isBefore(hour.plus(Duration.ofHours(1)));
    }

    private Backfill.Report backfill(LocalWarehouse warehouse, BackfillRange range,
            UnaryOperator<DataStream<EnrichedTransaction>> adjust) throws Exception {
        Configuration flink = new Configuration();
        flink.setString("parallelism.default", "2");
        return Backfill.run(warehouse.where(), range, flink, fixture.setup.configuration(), adjust, System.out::println);
    }
}
