package io.tributary.dashboard.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * How long ago each job last completed a checkpoint, from Flink's REST API ({@code /jobs/overview},
 * then {@code /jobs/<id>/checkpoints} for each job). That age is the first sign of trouble in an
 * exactly-once pipeline: outputs become visible only when a checkpoint completes, and a Kafka
 * transaction left open past its timeout is lost (deploy-k8s/runbooks/stuck-transaction.md).
 * Each job runs in a cluster of its own (application mode; in-process in the local run), hence a
 * list of REST endpoints.
 */
public final class FlinkCheckpoints {
    /**
     * One job's checkpointing.
     *
     * @param lastCompletedAgeMillis time since its newest completed checkpoint was acknowledged, null
     *     when none has completed
     */
    public record JobCheckpoints(String job, String state, Long lastCompletedAgeMillis, long completed, long failed) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<URI> endpoints;
    private final Duration timeout;
    private final HttpClient http;

    public FlinkCheckpoints(List<URI> endpoints, Duration timeout) {
        this.endpoints = List.copyOf(endpoints);
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** Every job of every endpoint; an endpoint that cannot be read becomes one line in {@code problems}. */
    public List<JobCheckpoints> read(Instant now, Consumer<String> problems) {
        List<JobCheckpoints> jobs = new ArrayList<>();
        for (URI endpoint : endpoints) {
            try {
                for (JsonNode job : get(endpoint, "jobs/overview").path("jobs")) {
                    JsonNode checkpoints = get(endpoint, "jobs/" + job.path("jid").asText() + "/checkpoints");
                    jobs.add(of(job, checkpoints, now));
                }
            } catch (IOException e) {
                problems.accept("Flink REST API at " + endpoint + ": " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return jobs;
            }
        }
        return jobs;
    }

    /** One job's entry of {@code /jobs/overview} and its {@code /jobs/<id>/checkpoints}, at {@code now}. */
    static JobCheckpoints of(JsonNode job, JsonNode checkpoints, Instant now) {
        JsonNode completed = checkpoints.path("latest").path("completed");
        Long age = completed.hasNonNull("latest_ack_timestamp")
                ? Math.max(0, now.toEpochMilli() - completed.get("latest_ack_timestamp").asLong())
                : null;
        JsonNode counts = checkpoints.path("counts");
        return new JobCheckpoints(job.path("name").asText(), job.path("state").asText(), age,
                counts.path("completed").asLong(), counts.path("failed").asLong());
    }

    private JsonNode get(URI endpoint, String path) throws IOException, InterruptedException {
        URI uri = endpoint.resolve(endpoint.getPath().endsWith("/") ? path : endpoint.getPath() + "/" + path);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + " for /" + path);
        }
        return JSON.readTree(response.body());
    }
}
