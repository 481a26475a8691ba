package io.tributary.jobs.warehouse;

import static io.tributary.jobs.warehouse.RowAssertions.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.events.EnrichedTransaction;
import io.tributary.jobs.backfill.Backfill;
import io.tributary.jobs.backfill.BackfillRange;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A backfill and the live sink on the same hours ({@link WarehouseFixture}'s tables, each test on
 * its own copy): what the stream commits is never lost or doubled by a backfill.
 */
@ExtendWith(WarehouseFixtureExtension.class)
class WarehouseBackfillRaceIT {
    private final WarehouseFixture fixture;

    WarehouseBackfillRaceIT(WarehouseFixture fixture) {
        this.fixture = fixture;
    }

    @AfterEach
    void disarm() {
        WhileTheBackfillRuns.STREAM.set(null);
    }

    @Test
    void aPaymentTheStreamCommitsToTheHourWhileTheBackfillRunsIsThereExactlyOnceAfterIt(LocalWarehouse warehouse)
            throws Exception {
        Instant hour = fixture.start.plus(Duration.ofHours(1));
        List<Map<String, Object>> before = TableRows.read(warehouse.table(WarehouseTable.TRANSACTIONS_ENRICHED));
        List<StreamCommit.Payment> committed = new ArrayList<>();
        // The stream commits once, after the backfill has read its input and before it commits.
        WhileTheBackfillRuns.STREAM.set(() -> {
            WhileTheBackfillRuns.STREAM.set(null);
            committed.add(StreamCommit.appendPayment(warehouse, hour));
        });

        List<String> progress = new ArrayList<>();
        Backfill.Report report = backfill(warehouse, hour, fixture.setup.configuration(), progress);

        assertThat(committed).hasSize(1);
        assertThat(report.attempts()).isEqualTo(2);
        assertThat(progress).anySatisfy(line -> assertThat(line).startsWith("Attempt 1 of 3 replaced nothing: ")
                .contains("transactions_enriched changed in the replaced partitions"));
        List<Map<String, Object>> expected = new ArrayList<>(before);
        StreamCommit.Payment payment = committed.get(0);
        expected.add(withEventId(before.stream().filter(r -> payment.copyOf().equals(r.get("event_id")))
                .findFirst().orElseThrow(), payment.eventId()));
        assertSameRows(TableRows.read(warehouse.table(WarehouseTable.TRANSACTIONS_ENRICHED)), expected);
    }

    @Test
    void aBackfillThatTheStreamKeepsRacingGivesUpAndReplacesNothing(LocalWarehouse warehouse) {
        Instant hour = fixture.start.plus(Duration.ofHours(1));
        List<StreamCommit.Payment> committed = new ArrayList<>();
        // The stream commits to the hour during every attempt.
        WhileTheBackfillRuns.STREAM.set(() -> committed.add(StreamCommit.appendPayment(warehouse, hour)));
        Configuration twoAttempts = fixture.setup.configuration();
        twoAttempts.set(WarehouseOptions.BACKFILL_COMMIT_ATTEMPTS, 2);
        List<Map<String, Object>> before = TableRows.read(warehouse.table(WarehouseTable.TRANSACTIONS_ENRICHED));

        assertThatThrownBy(() -> backfill(warehouse, hour, twoAttempts, new ArrayList<>()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Gave up backfilling [" + hour + ", " + hour.plus(Duration.ofHours(1))
                        + ") after 2 attempts, replacing nothing: warehouse-sink kept committing to its hours");

        assertThat(committed).hasSize(2);
        List<Map<String, Object>> expected = new ArrayList<>(before);
        for (StreamCommit.Payment p : committed) {
            // A later payment may copy an earlier one.
            expected.add(withEventId(expected.stream().filter(r -> p.copyOf().equals(r.get("event_id"))).findFirst()
                    .orElseThrow(), p.eventId()));
        }
        assertSameRows(TableRows.read(warehouse.table(WarehouseTable.TRANSACTIONS_ENRICHED)), expected);
        assertThat(warehouse.table(WarehouseTable.TRANSACTIONS_ENRICHED).refs()).containsOnlyKeys("main");
    }

    @Test
    void anHourTheStreamsCommittedWatermarkHasNotPassedIsRefusedAndTheTableIsUnchanged(LocalWarehouse warehouse) {
        // The fixture's stream stopped in its fourth hour: warehouse-sink's own marker is inside it.
        Instant hour = fixture.start.plus(Duration.ofHours(3));
        Instant end = hour.plus(Duration.ofHours(1));
        Instant watermark = CommittedWatermark.of(warehouse.table(WarehouseTable.RAW_TRANSACTIONS)).orElseThrow();
        assertThat(watermark).isBetween(hour, end);
        Map<WarehouseTable, String> metadata = warehouse.metadataFiles();

        LocalWarehouse.Run run = warehouse.run("backfill", "--from", hour.toString(), "--to", end.toString());

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err().lines()).singleElement().asString()
                .startsWith("tributary: Refusing to backfill [" + hour + ", " + end + "): warehouse-sink has committed"
                        + " raw_transactions up to watermark " + watermark + ", which has not passed the range's end "
                        + end + " by the allowed lateness PT1M");
        assertThat(warehouse.metadataFiles()).isEqualTo(metadata);
    }

    @Test
    void tablesWithoutACommittedWatermarkAreRefusedUnlessTheOperatorForcesIt(LocalWarehouse warehouse) {
        Instant hour = fixture.start.plus(Duration.ofHours(1));
        // As a warehouse-sink from before the marker left them.
        for (WarehouseTable t : List.of(WarehouseTable.RAW_TRANSACTIONS, WarehouseTable.TRANSACTIONS_ENRICHED)) {
            warehouse.table(t).updateProperties().remove(CommittedWatermark.PROPERTY).commit();
        }
        Map<WarehouseTable, String> metadata = warehouse.metadataFiles();
        String[] backfill = {"backfill", "--from", hour.toString(), "--to", hour.plus(Duration.ofHours(1)).toString(),
            "-D", "parallelism.default=2"};

        LocalWarehouse.Run refused = warehouse.run(backfill);
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err().lines()).singleElement().asString()
                .contains("raw_transactions and transactions_enriched record no committed watermark", "--force-unmarked");
        assertThat(warehouse.metadataFiles()).isEqualTo(metadata);

        String forced = warehouse.tributary(Stream.concat(Stream.of(backfill), Stream.of("--force-unmarked"))
                .toArray(String[]::new));
        assertThat(forced).contains("WARNING: raw_transactions and transactions_enriched record no committed watermark;"
                + " backfilling [" + hour + ", " + hour.plus(Duration.ofHours(1)) + ") on the operator's word")
                .contains("replaced 1 partition of transactions_enriched");
        assertSameRows(TableRows.read(warehouse.table(WarehouseTable.TRANSACTIONS_ENRICHED)), fixture.enrichedRows);
    }

    private static Backfill.Report backfill(LocalWarehouse warehouse, Instant hour, Configuration options,
            List<String> progress) throws Exception {
        Configuration flink = new Configuration();
        flink.setString("parallelism.default", "2");
        return Backfill.run(warehouse.where(),
                BackfillRange.covering(hour, hour.plus(Duration.ofHours(1)), Instant.now()), flink, options,
                stream -> stream.map(new WhileTheBackfillRuns(), TypeInformation.of(EnrichedTransaction.class)),
                progress::add);
    }

    private static Map<String, Object> withEventId(Map<String, Object> row, String eventId) {
        Map<String, Object> copy = new LinkedHashMap<>(row);
        copy.put("event_id", eventId);
        return copy;
    }

    /**
     * Runs {@link #STREAM}, if set, once per backfill job, at its first enriched payment: after the
     * backfill has read its input, before it commits.
     */
    static final class WhileTheBackfillRuns extends RichMapFunction<EnrichedTransaction, EnrichedTransaction> {
        static final AtomicReference<Runnable> STREAM = new AtomicReference<>();
        private static final Set<String> JOBS = ConcurrentHashMap.newKeySet();

        @Override
        public EnrichedTransaction map(EnrichedTransaction e) {
            Runnable stream = STREAM.get();
            if (stream != null && JOBS.add(getRuntimeContext().getJobInfo().getJobId().toString())) {
                stream.run();
            }
            return e;
        }
    }
}
