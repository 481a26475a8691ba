package io.tributary.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** When a registry's "unknown schema id" is believed, and when it is in doubt. */
class RegistryTrustTest {
    private static final String LATEST = "{\"subject\":\"t-value\",\"version\":3,\"id\":40,\"schema\":\"\\\"string\\\"\"}";

    private static SchemaRegistryClient client(ScriptedHttpServer server) {
        return SchemaRegistryClient.create(SchemaRegistryConfig.builder(server.url("http")).maxAttempts(1)
                .initialBackoff(Duration.ofMillis(10)).maxBackoff(Duration.ofMillis(10)).maxIdLag(100).build());
    }

    @Test
    void aRegistryWithoutTheContractsSubjectIsInDoubtAndSaysWhichRegistryAndSubject() throws Exception {
        try (var server = ScriptedHttpServer.http().answer(404, "{\"error_code\":40401,\"message\":\"none\"}")) {
            var trust = new RegistryTrust(client(server));

            assertThat(trust.doubt(7, "t-value")).hasValueSatisfying(why -> assertThat(why)
                    .contains(server.url("http"), "has no subject t-value", "empty"));
        }
    }

    @Test
    void anUnreachableRegistryIsInDoubt() throws Exception {
        var server = ScriptedHttpServer.http();
        var client = client(server);
        server.close();

        assertThat(new RegistryTrust(client).doubt(7, "t-value")).hasValueSatisfying(why -> assertThat(why)
                .contains("cannot be reached"));
    }

    @Test
    void anIdJustAboveTheNewestIsLagAndOneFarAboveOrBelowIsUnknown() throws Exception {
        try (var server = ScriptedHttpServer.http().answer(200, LATEST)) {
            var trust = new RegistryTrust(client(server));

            assertThat(trust.doubt(41, "t-value")).hasValueSatisfying(why -> assertThat(why)
                    .contains("schema id 41 is above the newest id (40)", "has not caught up"));
            assertThat(trust.doubt(140, "t-value")).isPresent();
            assertThat(trust.doubt(141, "t-value")).as("further above than max-id-lag: a bad id").isEmpty();
            assertThat(trust.doubt(12, "t-value")).as("below the newest: unknown").isEmpty();
            assertThat(trust.doubt(Integer.MAX_VALUE - 7, "t-value")).isEmpty();
            assertThat(server.requests()).as("what the registry said is remembered briefly").hasSize(1);
        }
    }
}
