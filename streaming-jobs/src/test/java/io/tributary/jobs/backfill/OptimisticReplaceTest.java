package io.tributary.jobs.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.hadoop.HadoopTables;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replace against a real table on local files (metadata only: no data file is read). */
class OptimisticReplaceTest {
    private static final Schema SCHEMA = new Schema(
            Types.NestedField.required(1, "event_id", Types.StringType.get()),
            Types.NestedField.required(2, "event_time", Types.TimestampType.withZone()));
    private static final PartitionSpec SPEC = PartitionSpec.builderFor(SCHEMA).hour("event_time").build();
    /** Hour partitions by their value, hours since the epoch (2026-11-27T10 and 11). */
    private static final String TEN = "event_time_hour=" + Instant.parse("2026-11-27T10:00:00Z").getEpochSecond() / 3600;
    private static final String ELEVEN = "event_time_hour=" + Instant.parse("2026-11-27T11:00:00Z").getEpochSecond() / 3600;

    @TempDir
    Path folder;
    private Table table;
    private int files;

    @BeforeEach
    void createTable() {
        table = new HadoopTables(new org.apache.hadoop.conf.Configuration()).create(SCHEMA, SPEC,
                Map.of(TableProperties.FORMAT_VERSION, "2"), folder.resolve("t").toUri().toString());
    }

    @Test
    void replacesTheStagedPartitionsWhenOnlyOtherPartitionsChangedMeanwhile() throws Exception {
        DataFile oldTen = file(TEN);
        DataFile oldEleven = file(ELEVEN);
        table.newAppend().appendFile(oldTen).appendFile(oldEleven).commit();
        DataFile newTen = file(TEN);
        DataFile laterEleven = file(ELEVEN);

        Snapshot commit;
        try (OptimisticReplace replace = OptimisticReplace.from(table, table.currentSnapshot().snapshotId())) {
            table.newAppend().appendFile(newTen).toBranch(replace.branch()).commit();
            table.newAppend().appendFile(laterEleven).commit();
            commit = replace.commit(Map.of("tributary.backfill-range", "r"));
        }

        assertThat(commit.summary()).containsEntry("tributary.backfill-range", "r")
                .containsEntry("replace-partitions", "true").containsEntry("changed-partition-count", "1");
        assertThat(liveFiles()).containsExactlyInAnyOrder(newTen.location(), oldEleven.location(), laterEleven.location());
        assertThat(table.refs()).containsOnlyKeys("main");
    }

    @Test
    void failsWithoutChangingAnythingWhenTheStagedPartitionsGotDataMeanwhile() throws Exception {
        DataFile oldTen = file(TEN);
        table.newAppend().appendFile(oldTen).commit();
        DataFile streamed = file(TEN);
        long before;

        try (OptimisticReplace replace = OptimisticReplace.from(table, table.currentSnapshot().snapshotId())) {
            table.newAppend().appendFile(file(TEN)).toBranch(replace.branch()).commit();
            table.newAppend().appendFile(streamed).commit();
            before = table.currentSnapshot().snapshotId();

            assertThatThrownBy(() -> replace.commit(Map.of()))
                    .isInstanceOf(OptimisticReplace.Conflict.class)
                    .hasMessageStartingWith(table.name() + " changed in the replaced partitions after snapshot ");
        }

        table.refresh();
        assertThat(table.currentSnapshot().snapshotId()).isEqualTo(before);
        assertThat(liveFiles()).containsExactlyInAnyOrder(oldTen.location(), streamed.location());
        assertThat(table.refs()).containsOnlyKeys("main");
    }

    @Test
    void aTableWithoutSnapshotsGetsTheStagedFilesAndNothingStagedChangesNothing() throws Exception {
        DataFile ten = file(TEN);
        try (OptimisticReplace nothing = OptimisticReplace.from(table, null)) {
            assertThat(nothing.commit(Map.of())).isNull();
        }
        try (OptimisticReplace replace = OptimisticReplace.from(table, null)) {
            table.newAppend().appendFile(ten).toBranch(replace.branch()).commit();
            replace.commit(Map.of());
        }

        assertThat(liveFiles()).containsExactly(ten.location());
        assertThat(table.refs()).containsOnlyKeys("main");
    }

    private DataFile file(String partition) {
        return DataFiles.builder(SPEC).withPath(folder.resolve("f" + (++files) + ".parquet").toString())
                .withFormat(FileFormat.PARQUET).withFileSizeInBytes(100).withRecordCount(1)
                .withPartitionPath(partition).build();
    }

    private Set<String> liveFiles() throws Exception {
        table.refresh();
        Set<String> live = new HashSet<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            tasks.forEach(t -> live.add(t.file().location()));
        }
        return live;
    }
}
