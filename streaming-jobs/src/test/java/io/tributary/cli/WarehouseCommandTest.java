package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.jobs.warehouse.WarehouseOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code tributary backfill} and {@code tributary warehouse}: help, and one clear line for each bad input. */
class WarehouseCommandTest {
    @Test
    void helpListsTheOptions() {
        String backfill = CliRun.of("backfill", "--help").out();
        String query = CliRun.of("warehouse", "query", "--help").out();

        WarehouseOptions.backfillOptions().forEach(o -> assertThat(backfill).contains(o.key()));
        assertThat(backfill).contains("--from", "--to", "--force-unmarked");
        WarehouseOptions.maintenanceOptions().forEach(o -> assertThat(query).contains(o.key()));
        assertThat(query).contains("--format", "transactions_enriched");
    }

    @Test
    void aBackfillWithoutAWarehouseOrWithABadRangeIsOneLine() throws Exception {
        String warehouse = "tributary.warehouse.location=" + Files.createTempDirectory("wh").toUri();

        assertThat(CliRun.of("backfill", "--from", "2026-11-27T10:00:00Z", "--to", "2026-11-27T11:00:00Z").errLines())
                .containsExactly("tributary: Missing required option tributary.warehouse.location");
        assertThat(CliRun.of("backfill", "--from", "2026-11-27T10:00:00Z", "--to", "2999-01-01T00:00:00Z", "-D",
                warehouse).errLines()).singleElement().asString().startsWith("tributary: The backfill range ends in the future");
        CliRun noTables = CliRun.of("backfill", "--from", "2020-01-01T10:00:00Z", "--to", "2020-01-01T11:00:00Z", "-D",
                warehouse);
        assertThat(noTables.exitCode()).isEqualTo(Tributary.FAILED);
        assertThat(noTables.errLines()).singleElement().asString().contains("has no table tributary.transactions_enriched");
    }

    @Test
    void badFlagsAreUsageErrors() {
        CliRun run = CliRun.of("backfill", "--from", "yesterday", "--to", "2026-11-27T11:00:00Z");

        assertThat(run.exitCode()).isEqualTo(Tributary.USAGE);
        assertThat(run.errLines()).singleElement().asString().contains("--from");
        assertThat(CliRun.of("warehouse", "compact", "--table", "nope", "--hour", "2026-11-27T10:00:00Z", "-D",
                "tributary.warehouse.location=file:///nowhere").errLines())
                .singleElement().asString().startsWith("tributary: No warehouse table 'nope'");
    }

    @Test
    void aQueryOnAnEmptyWarehouseFolderSaysSo() throws Exception {
        Path folder = Files.createTempDirectory("wh");

        CliRun run = CliRun.of("warehouse", "query", "-D", "tributary.warehouse.location=" + folder.toUri(), "SELECT 1");

        assertThat(run.exitCode()).isEqualTo(Tributary.FAILED);
        assertThat(run.errLines()).singleElement().asString().contains("has no table");
    }
}
