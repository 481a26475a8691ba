package io.tributary.dashboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlinkCheckpointsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.ofEpochMilli(1_772_000_010_000L);

    @Test
    void theAgeIsSinceTheNewestCompletedCheckpointWasAcknowledged() throws Exception {
        JsonNode job = JSON.readTree("{\"jid\":\"a1\",\"name\":\"live-metrics\",\"state\":\"RUNNING\"}");
        JsonNode checkpoints = JSON.readTree("""
                {"counts":{"restored":0,"total":12,"in_progress":1,"completed":10,"failed":1},
                 "latest":{"completed":{"id":10,"trigger_timestamp":1772000006000,"latest_ack_timestamp":1772000007500},
                           "failed":null,"savepoint":null,"restored":null}}""");

        assertThat(FlinkCheckpoints.of(job, checkpoints, NOW))
                .isEqualTo(new FlinkCheckpoints.JobCheckpoints("live-metrics", "RUNNING", 2_500L, 10, 1));
    }

    @Test
    void aJobWithoutACompletedCheckpointHasNoAge() throws Exception {
        JsonNode job = JSON.readTree("{\"jid\":\"a1\",\"name\":\"fraud-detection\",\"state\":\"INITIALIZING\"}");
        JsonNode checkpoints = JSON.readTree("{\"counts\":{\"completed\":0,\"failed\":0},\"latest\":{\"completed\":null}}");

        assertThat(FlinkCheckpoints.of(job, checkpoints, NOW).lastCompletedAgeMillis()).isNull();
    }

    @Test
    void anEndpointThatDoesNotAnswerIsAProblemLineNotAnException() {
        List<String> problems = new ArrayList<>();
        URI closed = URI.create("http://127.0.0.1:1/");

        var jobs = new FlinkCheckpoints(List.of(closed), Duration.ofSeconds(2)).read(NOW, problems::add);

        assertThat(jobs).isEmpty();
        assertThat(problems).singleElement().asString().startsWith("Flink REST API at " + closed + ": ");
    }
}
