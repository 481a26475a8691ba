package io.tributary.jobs.warehouse;

import static io.tributary.jobs.warehouse.RowAssertions.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.jobs.maintenance.TableMaintenance;
import java.time.Duration;
import java.time.Instant;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Compaction and snapshot expiry through the command line, on a copy of the tables that
 * warehouse-sink wrote ({@link WarehouseFixture}), with their history: the copy keeps the sink's
 * commits, which expiry must keep.
 */
@ExtendWith(WarehouseFixtureExtension.class)
class WarehouseMaintenanceIT {
    @Test
    void compactionAndExpiryKeepEveryRowAndTheQueryReadsOnlyLiveFiles(WarehouseFixture fixture, LocalWarehouse warehouse)
            throws Exception {
        Table raw = warehouse.table(WarehouseTable.RAW_TRANSACTIONS);
        Instant hour = fixture.start.plus(Duration.ofHours(2));
        String partition = WarehouseFixture.partition(hour);
        int filesBefore = TableFiles.byPartition(raw).get(partition).size();
        int rows = fixture.rawRows.size();

        String compacted = warehouse.tributary("warehouse", "compact", "--table", "raw_transactions", "--hour",
                hour.plusSeconds(1_234).toString());

        assertThat(filesBefore).isGreaterThan(1);
        assertThat(compacted).contains("rewrote " + filesBefore + " data files as 1");
        assertThat(TableFiles.byPartition(raw).get(partition)).hasSize(1);
        assertSameRows(TableRows.read(raw), fixture.rawRows);
        // The replaced files are still in the folder until expiry: a glob would count their rows twice.
        assertThat(warehouse.query("SELECT count(*) AS n FROM raw_transactions")).isEqualTo("n\n" + rows + "\n");

        String expired = warehouse.tributary("warehouse", "expire-snapshots", "--table", "raw_transactions",
                "-D", "tributary.warehouse.snapshot-retention=0s", "-D", "tributary.warehouse.snapshots-kept=1");

        // What is left: the sink's last commit, which it looks for after a restart, and the
        // compactions after it; nothing older.
        assertThat(expired).startsWith("raw_transactions: expired ");
        raw.refresh();
        Snapshot sinkCommit = TableMaintenance.lastStreamingCommit(raw);
        assertThat(sinkCommit).isNotNull();
        assertThat(raw.snapshots()).allSatisfy(kept -> assertThat(kept.timestampMillis())
                .isGreaterThanOrEqualTo(sinkCommit.timestampMillis()));
        assertSameRows(TableRows.read(raw), fixture.rawRows);
        assertThat(warehouse.query("SELECT count(*) AS n FROM raw_transactions")).isEqualTo("n\n" + rows + "\n");
    }
}
