package io.tributary.jobs.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AccountErasureTest {
    @Test
    void oneFileHasOnePathHoweverItsLocationIsSpelled() {
        String path = "/w/ns/accounts/data/00000-0-a.parquet";

        assertThat(AccountErasure.pathOf("file:/w/ns/accounts/data//00000-0-a.parquet")).isEqualTo(path);
        assertThat(AccountErasure.pathOf("file:///w/ns/accounts/data/00000-0-a.parquet")).isEqualTo(path);
        assertThat(AccountErasure.pathOf("/w//ns/accounts/data/00000-0-a.parquet")).isEqualTo(path);
    }
}
