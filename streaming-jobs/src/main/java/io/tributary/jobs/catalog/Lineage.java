package io.tributary.jobs.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.jobs.backfill.Backfill;
import io.tributary.jobs.common.Dataset;
import io.tributary.jobs.common.JobFootprint;
import io.tributary.jobs.common.JobSecrets;
import io.tributary.jobs.common.KafkaOptions;
import io.tributary.jobs.common.TributaryJob;
import io.tributary.jobs.fraud.FraudOptions;
import io.tributary.jobs.metrics.MetricsOptions;
import io.tributary.jobs.pii.TokenizationKey;
import io.tributary.jobs.warehouse.WarehouseCatalog;
import io.tributary.jobs.warehouse.WarehouseOptions;
import io.tributary.state.JobConfiguration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * The lineage of the pipeline, topics to jobs to stores, worked out by each job's own code from a
 * configuration (its {@link JobFootprint}): every job of the {@link JobCatalog} and the backfill. It is
 * written as OpenLineage job events (one {@code JobEvent} per job, its {@code inputs} and
 * {@code outputs} named by OpenLineage's conventions) and as a Mermaid graph; {@code docs/} keeps both
 * for the local configuration, and a test fails when they are stale.
 */
public final class Lineage {
    /** Where the repository keeps the documents, from its root. */
    public static final String JSON_PATH = "docs/lineage.json";
    public static final String MARKDOWN_PATH = "docs/lineage.md";

    /** The namespace of the jobs: OpenLineage gives it to whoever schedules them. */
    static final String JOB_NAMESPACE = "tributary";
    private static final String PRODUCER = "urn:tributary:streaming-jobs";
    private static final String JOB_EVENT_SCHEMA = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/JobEvent";
    private static final String JOB_TYPE_SCHEMA =
            "https://openlineage.io/spec/facets/2-0-4/JobTypeJobFacet.json#/$defs/JobTypeJobFacet";
    private static final String DOCUMENTATION_SCHEMA =
            "https://openlineage.io/spec/facets/1-0-0/DocumentationJobFacet.json#/$defs/DocumentationJobFacet";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One job's lineage.
     *
     * @param batch whether it runs to an end (the backfill) rather than as a stream
     */
    public record Job(String name, boolean batch, String description, JobFootprint footprint) {}

    private Lineage() {}

    /**
     * The configuration the documents are drawn with: the default state profile's, as a launcher resolves
     * it, with {@link #withLocalAddresses the local stack's addresses}.
     */
    public static Configuration localConfiguration() {
        return withLocalAddresses(JobConfiguration.resolve(null, Map.of(), List.of()).configuration());
    }

    /**
     * {@code configuration} with the local stack's addresses at their usual ports for what it does not
     * set and has no default: logical names, the same on every machine, so that the documents stay put
     * (the local run itself picks free ports).
     */
    public static Configuration withLocalAddresses(Configuration configuration) {
        Configuration c = new Configuration(configuration);
        setIfAbsent(c, KafkaOptions.BOOTSTRAP_SERVERS, "localhost:9092");
        setIfAbsent(c, KafkaOptions.REGISTRY_URL, "http://localhost:8081");
        setIfAbsent(c, FraudOptions.REDIS_HOST, "localhost");
        setIfAbsent(c, MetricsOptions.POSTGRES_URL, "jdbc:postgresql://localhost:5432/tributary_local");
        setIfAbsent(c, MetricsOptions.POSTGRES_USER, "tributary");
        setIfAbsent(c, WarehouseOptions.LOCATION, "file:///warehouse");
        return c;
    }

    private static void setIfAbsent(Configuration c, ConfigOption<String> option, String value) {
        if (!c.contains(option)) {
            c.set(option, value);
        }
    }

    /**
     * Every job's lineage with {@code configuration}: the catalog's jobs in their order, then the backfill.
     *
     * @throws IllegalArgumentException as a job would refuse to start with this configuration
     */
    public static List<Job> jobs(Configuration configuration) {
        // The lineage reads no secret; the key only lets the settings that check for one be read.
        JobSecrets secrets = JobSecrets.withInlineKey(
                TokenizationKey.fromBase64(Base64.getEncoder().encodeToString(new byte[32])), Map.of());
        List<Job> jobs = new ArrayList<>();
        for (TributaryJob<?> job : JobCatalog.all()) {
            jobs.add(new Job(job.name(), false, job.description().get(0), footprint(job, configuration, secrets)));
        }
        jobs.add(new Job(Backfill.NAME, true, Backfill.DESCRIPTION, Backfill.footprint(WarehouseCatalog.from(configuration))));
        return jobs;
    }

    private static <S> JobFootprint footprint(TributaryJob<S> job, Configuration configuration, JobSecrets secrets) {
        return job.footprint(job.settings(configuration, secrets));
    }

    /** The jobs as a JSON array of OpenLineage {@code JobEvent}s, all observed at {@code eventTime} (to the second). */
    public static String json(List<Job> jobs, Instant eventTime) {
        Instant time = eventTime.truncatedTo(ChronoUnit.SECONDS);
        List<Map<String, Object>> events = jobs.stream().map(j -> jobEvent(j, time)).toList();
        // The same bytes on every machine: \n, not the platform's line separator.
        DefaultIndenter newlines = new DefaultIndenter("  ", "\n");
        try {
            return JSON.writer(new DefaultPrettyPrinter().withObjectIndenter(newlines).withArrayIndenter(newlines)
                            .withoutSpacesInObjectEntries())
                    .writeValueAsString(events) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> jobEvent(Job job, Instant eventTime) {
        Map<String, Object> jobType = facet(JOB_TYPE_SCHEMA);
        jobType.put("processingType", job.batch() ? "BATCH" : "STREAMING");
        jobType.put("integration", "FLINK");
        jobType.put("jobType", "JOB");
        Map<String, Object> documentation = facet(DOCUMENTATION_SCHEMA);
        documentation.put("description", job.description());
        Map<String, Object> facets = new LinkedHashMap<>();
        facets.put("jobType", jobType);
        facets.put("documentation", documentation);

        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventTime", eventTime.toString());
        event.put("producer", PRODUCER);
        event.put("schemaURL", JOB_EVENT_SCHEMA);
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("namespace", JOB_NAMESPACE);
        identity.put("name", job.name());
        identity.put("facets", facets);
        event.put("job", identity);
        event.put("inputs", datasets(job.footprint().inputDatasets()));
        event.put("outputs", datasets(job.footprint().outputDatasets()));
        return event;
    }

    private static Map<String, Object> facet(String schema) {
        Map<String, Object> facet = new LinkedHashMap<>();
        facet.put("_producer", PRODUCER);
        facet.put("_schemaURL", schema);
        return facet;
    }

    private static List<Map<String, Object>> datasets(List<Dataset> datasets) {
        return datasets.stream().map(d -> {
            Map<String, Object> dataset = new LinkedHashMap<>();
            dataset.put("namespace", d.namespace());
            dataset.put("name", d.name());
            dataset.put("facets", Map.of());
            return dataset;
        }).toList();
    }

    /** The {@code eventTime} of a document {@link #json} wrote (its first event's). */
    public static Instant eventTime(String json) {
        try {
            JsonNode time = JSON.readTree(json).path(0).path("eventTime");
            if (!time.isTextual()) {
                throw new IllegalArgumentException("The lineage document has no eventTime");
            }
            return Instant.parse(time.asText());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("The lineage document is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The jobs as a Mermaid flowchart, left to right: what each reads, the job, what it writes. Datasets
     * are grouped by data source; topics are drawn as stadiums, stores as cylinders, jobs as subroutines.
     */
    public static String mermaid(List<Job> jobs) {
        Map<Dataset, String> ids = new LinkedHashMap<>();
        for (Job job : jobs) {
            Stream.concat(job.footprint().inputDatasets().stream(), job.footprint().outputDatasets().stream())
                    .forEach(d -> ids.putIfAbsent(d, "d" + (ids.size() + 1)));
        }
        Map<String, List<Dataset>> bySource = new LinkedHashMap<>();
        ids.keySet().forEach(d -> bySource.computeIfAbsent(d.namespace(), n -> new ArrayList<>()).add(d));

        StringBuilder graph = new StringBuilder("flowchart LR\n");
        int source = 0;
        for (Map.Entry<String, List<Dataset>> group : bySource.entrySet()) {
            graph.append("  subgraph s").append(++source).append("[\"").append(group.getKey()).append("\"]\n");
            for (Dataset d : group.getValue()) {
                boolean topic = d.namespace().startsWith("kafka://");
                graph.append("    ").append(ids.get(d)).append(topic ? "([\"" : "[(\"").append(d.name())
                        .append(topic ? "\"])" : "\")]").append('\n');
            }
            graph.append("  end\n");
        }
        for (int i = 0; i < jobs.size(); i++) {
            Job job = jobs.get(i);
            String id = "j" + (i + 1);
            graph.append("  ").append(id).append("[[\"").append(job.name()).append(job.batch() ? " (batch)" : "")
                    .append("\"]]\n");
            job.footprint().inputDatasets().forEach(d -> graph.append("  ").append(ids.get(d)).append(" --> ").append(id).append('\n'));
            job.footprint().outputDatasets().forEach(d -> graph.append("  ").append(id).append(" --> ").append(ids.get(d)).append('\n'));
        }
        return graph.toString();
    }

    /** {@code docs/lineage.md}: the graph, and what each job reads and writes. */
    public static String markdown(List<Job> jobs) {
        StringBuilder md = new StringBuilder("""
                # Lineage

                Generated from the job catalog (`io.tributary.jobs.catalog.Lineage`) with the local configuration's
                addresses; do not edit. `lineage.json` holds the same as OpenLineage job events. Regenerate both with
                `./tributary lineage --docs .` from the repository root, or with
                `mvn -pl streaming-jobs -am test -Dtest=LineageTest -Dtributary.regenerate-lineage=true`.

                ```mermaid
                """).append(mermaid(jobs)).append("```\n\n| job | reads | writes |\n|---|---|---|\n");
        for (Job job : jobs) {
            md.append("| `").append(job.name()).append("` | ").append(cell(job.footprint().inputDatasets())).append(" | ")
                    .append(cell(job.footprint().outputDatasets())).append(" |\n");
        }
        return md.toString();
    }

    private static String cell(List<Dataset> datasets) {
        return String.join("<br>", datasets.stream().map(d -> "`" + d.namespace() + "` `" + d.name() + "`").toList());
    }

    /**
     * The documents under {@code root} that differ from what {@code jobs} give, by their paths from
     * the root: empty when they are up to date. The JSON is compared at its own {@code eventTime}.
     */
    public static List<String> staleDocuments(Path root, List<Job> jobs) {
        List<String> stale = new ArrayList<>();
        String json = read(root.resolve(JSON_PATH));
        try {
            if (json == null || !json.equals(json(jobs, eventTime(json)))) {
                stale.add(JSON_PATH);
            }
        } catch (IllegalArgumentException unreadable) {
            stale.add(JSON_PATH);
        }
        if (!markdown(jobs).equals(read(root.resolve(MARKDOWN_PATH)))) {
            stale.add(MARKDOWN_PATH);
        }
        return stale;
    }

    /**
     * Writes both documents under {@code root}. The JSON keeps its {@code eventTime} while the lineage
     * stays the same, so that regenerating changes nothing; a changed lineage is stamped {@code now}.
     *
     * @return the paths written, from the root
     */
    public static List<String> writeDocuments(Path root, List<Job> jobs, Instant now) throws IOException {
        List<String> stale = staleDocuments(root, jobs);
        if (stale.contains(JSON_PATH)) {
            write(root.resolve(JSON_PATH), json(jobs, now));
        }
        if (stale.contains(MARKDOWN_PATH)) {
            write(root.resolve(MARKDOWN_PATH), markdown(jobs));
        }
        return stale;
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
