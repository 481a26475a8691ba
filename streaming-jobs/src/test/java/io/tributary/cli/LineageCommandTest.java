package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.jobs.catalog.Lineage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineageCommandTest {
    @Test
    void printsTheLineageOfTheConfiguredStores() {
        CliRun json = CliRun.of("lineage", "-D", "tributary.redis.host=redis.prod", "-D",
                "tributary.kafka.bootstrap-servers=kafka.prod:9093");

        assertThat(json.exitCode()).as(json.err()).isZero();
        assertThat(json.out()).contains("\"namespace\":\"redis://redis.prod:6379/0\"")
                .contains("\"namespace\":\"kafka://kafka.prod:9093\"")
                .contains("\"namespace\":\"postgres://localhost:5432\"");

        CliRun mermaid = CliRun.of("lineage", "--format", "MERMAID");
        assertThat(mermaid.exitCode()).as(mermaid.err()).isZero();
        assertThat(mermaid.out()).startsWith("flowchart LR").contains("[[\"backfill (batch)\"]]");
    }

    @Test
    void writesTheDocumentsOnceAndThenFindsThemUpToDate(@TempDir Path root) {
        CliRun first = CliRun.of("lineage", "--docs", root.toString());
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("Wrote " + Lineage.JSON_PATH + ", " + Lineage.MARKDOWN_PATH);
        assertThat(root.resolve(Lineage.MARKDOWN_PATH)).exists();
        assertThat(Files.exists(root.resolve(Lineage.JSON_PATH))).isTrue();

        assertThat(CliRun.of("lineage", "--docs", root.toString()).out()).contains("up to date");
    }

    @Test
    void anUnknownOptionIsOneLine() {
        CliRun run = CliRun.of("lineage", "-D", "tributary.no-such-option=1");

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err().strip()).startsWith("tributary:").contains("tributary.no-such-option").doesNotContain("\n");
    }
}
