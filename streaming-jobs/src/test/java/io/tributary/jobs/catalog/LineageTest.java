package io.tributary.jobs.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.jobs.backfill.Backfill;
import io.tributary.jobs.common.Dataset;
import io.tributary.jobs.fraud.FraudOptions;
import io.tributary.jobs.metrics.MetricsOptions;
import io.tributary.jobs.warehouse.WarehouseOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineageTest {
    /** Surefire runs in the module folder; the documents live under the repository root. */
    private static final Path ROOT = Path.of("..");
    private static final Instant THEN = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void theCommittedDocumentsAreUpToDate() throws IOException {
        List<Lineage.Job> jobs = Lineage.jobs(Lineage.localConfiguration());
        if (Boolean.getBoolean("tributary.regenerate-lineage")) {
            Lineage.writeDocuments(ROOT, jobs, Instant.now());
        }

        assertThat(Lineage.staleDocuments(ROOT, jobs))
                .as("stale: regenerate with `./tributary lineage --docs .` from the repository root, or with"
                        + " `mvn -pl streaming-jobs -am test -Dtest=LineageTest -Dtributary.regenerate-lineage=true`,"
                        + " and commit")
                .isEmpty();
    }

    @Test
    void aStaleCopyIsFoundAndRegeneratingAnUpToDateOneChangesNothing(@TempDir Path root) throws IOException {
        List<Lineage.Job> jobs = Lineage.jobs(Lineage.localConfiguration());
        assertThat(Lineage.writeDocuments(root, jobs, THEN)).containsExactly(Lineage.JSON_PATH, Lineage.MARKDOWN_PATH);
        assertThat(Lineage.writeDocuments(root, jobs, Instant.now())).isEmpty();
        assertThat(Lineage.eventTime(read(root, Lineage.JSON_PATH))).isEqualTo(THEN);

        // A job that writes elsewhere than the documents say: both are stale.
        Configuration moved = Lineage.localConfiguration();
        moved.set(FraudOptions.REDIS_KEY_PREFIX, "features:");
        List<Lineage.Job> changed = Lineage.jobs(moved);
        assertThat(Lineage.staleDocuments(root, changed)).containsExactly(Lineage.JSON_PATH, Lineage.MARKDOWN_PATH);
        Instant now = Instant.parse("2026-12-06T00:00:00Z");
        Lineage.writeDocuments(root, changed, now);
        assertThat(Lineage.eventTime(read(root, Lineage.JSON_PATH))).isEqualTo(now);
        assertThat(read(root, Lineage.JSON_PATH)).contains("features:card:*").doesNotContain("tributary:features:");

        // A hand edit is stale too.
        Files.writeString(root.resolve(Lineage.MARKDOWN_PATH), read(root, Lineage.MARKDOWN_PATH).replace("-->", "---"));
        assertThat(Lineage.staleDocuments(root, changed)).containsExactly(Lineage.MARKDOWN_PATH);
        Files.delete(root.resolve(Lineage.JSON_PATH));
        assertThat(Lineage.staleDocuments(root, changed)).containsExactly(Lineage.JSON_PATH, Lineage.MARKDOWN_PATH);
    }

    @Test
    void namesEveryTopicAndStoreOfEveryJobFromItsSettings() {
        Configuration c = Lineage.localConfiguration();
        c.set(MetricsOptions.POSTGRES_URL, "jdbc:postgresql://pg.example:6543/dashboards?currentSchema=live");
        c.set(WarehouseOptions.LOCATION, "s3a://lake/warehouse/");
        c.set(WarehouseOptions.NAMESPACE, "payments");
        List<Lineage.Job> jobs = Lineage.jobs(c);

        assertThat(jobs).extracting(Lineage.Job::name).containsExactly("transactions-enrichment", "fraud-detection",
                "live-metrics", "warehouse-sink", Backfill.NAME);
        Lineage.Job enrichment = jobs.get(0);
        assertThat(enrichment.footprint().inputDatasets()).contains(new Dataset("kafka://localhost:9092", "payments.transactions.v1"));
        assertThat(enrichment.footprint().outputDatasets())
                .contains(new Dataset("kafka://localhost:9092", "payments.transactions.enriched.v1"));
        assertThat(jobs.get(1).footprint().writes()).containsExactly(
                new Dataset("redis://localhost:6379/0", "tributary:features:card:*"),
                new Dataset("redis://localhost:6379/0", "tributary:features:account:*"));
        assertThat(jobs.get(2).footprint().writes())
                .containsExactly(new Dataset("postgres://pg.example:6543", "dashboards.live.live_metrics_minute"));
        assertThat(jobs.get(3).footprint().writes()).hasSize(6)
                .contains(new Dataset("s3://lake", "warehouse/payments/raw_transactions"));
        Lineage.Job backfill = jobs.get(4);
        assertThat(backfill.batch()).isTrue();
        assertThat(backfill.footprint().inputDatasets()).containsExactly(
                new Dataset("s3://lake", "warehouse/payments/raw_transactions"),
                new Dataset("s3://lake", "warehouse/payments/accounts"),
                new Dataset("s3://lake", "warehouse/payments/merchants"),
                new Dataset("s3://lake", "warehouse/payments/fx_rates"));
        assertThat(backfill.footprint().outputDatasets())
                .containsExactly(new Dataset("s3://lake", "warehouse/payments/transactions_enriched"));
    }

    @Test
    void writesOneOpenLineageJobEventPerJob() throws IOException {
        List<Lineage.Job> jobs = Lineage.jobs(Lineage.localConfiguration());
        JsonNode events = new ObjectMapper().readTree(Lineage.json(jobs, THEN));

        assertThat(events.size()).isEqualTo(jobs.size());
        List<String> names = new ArrayList<>();
        for (JsonNode event : events) {
            assertThat(event.path("eventTime").asText()).isEqualTo(THEN.toString());
            assertThat(event.path("schemaURL").asText()).endsWith("/OpenLineage.json#/$defs/JobEvent");
            assertThat(event.path("producer").asText()).isNotBlank();
            assertThat(event.has("run")).as("a JobEvent has no run").isFalse();
            assertThat(event.path("job").path("namespace").asText()).isEqualTo(Lineage.JOB_NAMESPACE);
            JsonNode jobType = event.path("job").path("facets").path("jobType");
            assertThat(jobType.path("_schemaURL").asText()).contains("JobTypeJobFacet");
            assertThat(jobType.path("integration").asText()).isEqualTo("FLINK");
            for (JsonNode dataset : concat(event.path("inputs"), event.path("outputs"))) {
                assertThat(dataset.path("namespace").asText()).isNotBlank();
                assertThat(dataset.path("name").asText()).isNotBlank();
                assertThat(dataset.path("facets").isObject()).isTrue();
            }
            names.add(event.path("job").path("name").asText());
        }
        assertThat(names).isEqualTo(jobs.stream().map(Lineage.Job::name).toList());
        assertThat(events.get(4).path("job").path("facets").path("jobType").path("processingType").asText())
                .isEqualTo("BATCH");
    }

    @Test
    void drawsTopicsToJobsToStores() {
        String graph = Lineage.mermaid(Lineage.jobs(Lineage.localConfiguration()));

        assertThat(graph).startsWith("flowchart LR\n")
                .contains("subgraph s1[\"kafka://localhost:9092\"]")
                .contains("d1([\"payments.transactions.v1\"])")
                .contains("j1[[\"transactions-enrichment\"]]")
                .contains("d1 --> j1")
                .contains("[(\"tributary:features:card:*\")]")
                .contains("[[\"backfill (batch)\"]]");
    }

    @Test
    void namesDatasetsByOpenLineageConventions() {
        assertThat(Dataset.kafkaTopic("b1:9093, b2:9093", "t")).isEqualTo(new Dataset("kafka://b1:9093", "t"));
        assertThat(Dataset.postgresTable("jdbc:postgresql://db/metrics", "m"))
                .isEqualTo(new Dataset("postgres://db:5432", "metrics.public.m"));
        assertThat(Dataset.icebergTable("file:///data/wh", "ns", "t")).isEqualTo(new Dataset("file", "/data/wh/ns/t"));
        assertThat(Dataset.icebergTable("hdfs://nn:8020/wh/", "ns", "t")).isEqualTo(new Dataset("hdfs://nn:8020", "/wh/ns/t"));
        assertThat(Dataset.icebergTable("s3://bucket/", "ns", "t")).isEqualTo(new Dataset("s3://bucket", "ns/t"));
    }

    private static List<JsonNode> concat(JsonNode a, JsonNode b) {
        List<JsonNode> all = new ArrayList<>();
        a.forEach(all::add);
        b.forEach(all::add);
        return all;
    }

    private static String read(Path root, String path) throws IOException {
        return Files.readString(root.resolve(path), StandardCharsets.UTF_8);
    }
}
