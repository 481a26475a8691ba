package io.tributary.jobs.warehouse.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CheckpointWatermarksTest {
    @Test
    void aBarriersWatermarkIsCommittedOnlyOnceItsCheckpointIsInTheTable() {
        CheckpointWatermarks barriers = new CheckpointWatermarks();
        barriers.barrier(7, 1_000);
        barriers.barrier(8, 2_000);
        barriers.barrier(9, 3_000);

        assertThat(barriers.committed(6)).isEmpty();
        // The committer skipped 7 and committed 8 (with 7's files): the watermark of 8.
        assertThat(barriers.committed(8)).hasValue(2_000);
        // Forgotten once published.
        assertThat(barriers.committed(8)).isEmpty();
        assertThat(barriers.committed(12)).hasValue(3_000);
    }

    @Test
    void aBarrierBeforeAnyWatermarkPublishesNothing() {
        CheckpointWatermarks barriers = new CheckpointWatermarks();
        barriers.barrier(1, Long.MIN_VALUE);

        assertThat(barriers.committed(1)).isEmpty();
    }
}
