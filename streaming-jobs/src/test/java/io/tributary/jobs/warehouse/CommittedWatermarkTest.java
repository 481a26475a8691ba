package io.tributary.jobs.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.hadoop.HadoopTables;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommittedWatermarkTest {
    private static final Schema SCHEMA = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));

    @TempDir
    Path folder;
    private Table table;

    @BeforeEach
    void createTable() {
        table = new HadoopTables(new org.apache.hadoop.conf.Configuration()).create(SCHEMA, PartitionSpec.unpartitioned(),
                Map.of(), folder.resolve("t").toUri().toString());
    }

    @Test
    void theMarkerOnlyMovesForward() {
        assertThat(CommittedWatermark.of(table)).isEmpty();

        assertThat(CommittedWatermark.advance(table, Instant.parse("2026-11-27T10:00:00Z"))).isTrue();
        assertThat(CommittedWatermark.advance(table, Instant.parse("2026-11-27T09:00:00Z"))).isFalse();
        assertThat(CommittedWatermark.advance(table, Instant.parse("2026-11-27T10:00:00Z"))).isFalse();

        table.refresh();
        assertThat(CommittedWatermark.of(table)).hasValue(Instant.parse("2026-11-27T10:00:00Z"));
        assertThat(table.properties()).containsEntry("tributary.committed-watermark", "2026-11-27T10:00:00Z");
    }

    @Test
    void aMarkerThatIsNoInstantNamesTheTable() {
        table.updateProperties().set(CommittedWatermark.PROPERTY, "yesterday").commit();

        assertThatThrownBy(() -> CommittedWatermark.of(table)).hasMessageContaining(table.name())
                .hasMessageContaining("'yesterday', which is not an ISO-8601 instant");
    }

    @Test
    void theLastCheckpointAJobCommittedComesFromItsNewestCommit() {
        assertThat(CommittedWatermark.lastCommittedCheckpoint(table, "job-a")).isEqualTo(-1);
        commit("job-a", 4);
        commit("job-a", 7);
        commit("job-b", 9);

        assertThat(CommittedWatermark.lastCommittedCheckpoint(table, "job-a")).isEqualTo(7);
        assertThat(CommittedWatermark.lastCommittedCheckpoint(table, "job-b")).isEqualTo(9);
        assertThat(CommittedWatermark.lastCommittedCheckpoint(table, "job-c")).isEqualTo(-1);
    }

    private void commit(String job, long checkpoint) {
        table.newAppend().appendFile(DataFiles.builder(PartitionSpec.unpartitioned())
                        .withPath(folder.resolve(job + checkpoint + ".parquet").toString()).withFormat(FileFormat.PARQUET)
                        .withFileSizeInBytes(10).withRecordCount(1).build())
                .set("flink.job-id", job).set("flink.max-committed-checkpoint-id", String.valueOf(checkpoint))
                .commit();
    }
}
