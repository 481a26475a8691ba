package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.contracts.TopicContract;
import io.tributary.localstack.SchemaRegistryServer;
import io.tributary.localstack.junit.LocalServersExtension;
import io.tributary.registry.CompatibilityLevel;
import io.tributary.registry.SchemaRegistryClient;
import io.tributary.registry.SchemaRegistryConfig;
import java.net.ServerSocket;
import java.time.Duration;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The schema commands against a real registry, and against one that is down. */
@ExtendWith(LocalServersExtension.class)
class SchemasCommandIT {
    @Test
    void registersThenChecksCleanThenCatchesALevelMismatch(SchemaRegistryServer registry) throws Exception {
        CliRun register = CliRun.of("schemas", "register", "--registry-url", registry.url());
        assertThat(register.exitCode()).as(register.err()).isZero();
        for (TopicContract contract : TopicContract.values()) {
            assertThat(register.out()).contains(contract.subject());
        }

        CliRun clean = CliRun.of("schemas", "check", "--registry-url", registry.url());
        assertThat(clean.exitCode()).as(clean.out()).isZero();
        assertThat(clean.out()).contains("All " + TopicContract.values().length + " contracts are compatible.");

        var client = SchemaRegistryClient.create(SchemaRegistryConfig.builder(registry.url()).build());
        client.setSubjectCompatibility(TopicContract.MERCHANTS.subject(), CompatibilityLevel.NONE);
        try {
            CliRun mismatch = CliRun.of("schemas", "check", "--registry-url", registry.url());
            assertThat(mismatch.exitCode()).isEqualTo(Tributary.FAILED);
            assertThat(mismatch.out()).contains("merchants.v1-value").contains("LEVEL_MISMATCH")
                    .contains("1 problem(s)");
        } finally {
            client.setSubjectCompatibility(TopicContract.MERCHANTS.subject(), TopicContract.MERCHANTS.compatibility());
        }
    }

    @Test
    void checkReportsASchemaThatWouldBreakItsReaders() throws Exception {
        // A registry of its own: this one ends up holding a version the contracts cannot follow.
        try (SchemaRegistryServer registry = SchemaRegistryServer.start()) {
            var client = SchemaRegistryClient.create(SchemaRegistryConfig.builder(registry.url()).build());
            String subject = TopicContract.MERCHANTS.subject();
            // Another team's schema got there first, under no compatibility rule.
            client.register(subject, new Schema.Parser().parse(TopicContract.MERCHANTS.valueSchema().toString()
                    .replace("{\"name\":\"name\",\"type\":\"string\"", "{\"name\":\"name\",\"type\":\"int\"")));
            client.setSubjectCompatibility(subject, TopicContract.MERCHANTS.compatibility());

            CliRun check = CliRun.of("schemas", "check", "--registry-url", registry.url());

            assertThat(check.exitCode()).isEqualTo(Tributary.FAILED);
            assertThat(check.out()).contains("merchants.v1-value").contains("INCOMPATIBLE")
                    .contains("deploying these schemas would break their readers");
            CliRun register = CliRun.of("schemas", "register", "--registry-url", registry.url());
            assertThat(register.exitCode()).isEqualTo(Tributary.FAILED);
            assertThat(register.errLines()).singleElement().asString()
                    .startsWith("tributary: Incompatible schema for subject 'merchants.v1-value' (HTTP 409");
        }
    }

    @Test
    void aRegistryThatIsDownFailsWithOneLineAfterBoundedRetries() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        long started = System.nanoTime();
        CliRun run = CliRun.of("schemas", "register", "--registry-url", "http://127.0.0.1:" + closedPort);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(run.exitCode()).isEqualTo(Tributary.FAILED);
        assertThat(run.errLines()).singleElement().asString()
                .startsWith("tributary: Schema registry http://127.0.0.1:" + closedPort + " unreachable after 4 tries")
                .contains("connection refused");
        // Reported, not asserted: how long the default retries take here (see the closing note).
        System.out.println("schemas register against a registry that is down gave up after " + took.toMillis() + " ms");
    }
}
