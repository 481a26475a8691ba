package io.tributary.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.cli.Tributary;
import org.junit.jupiter.api.Test;

class DashboardCommandTest {
    @Test
    void helpListsEveryOptionWithItsDefault() {
        // Picocli wraps the descriptions, even inside a topic name; compare without any white space.
        String help = LauncherRun.of("dashboard", "--help").out().replaceAll("\\s+", "");

        assertThat(help).contains("--postgres-url", "--bootstrap-servers", "--registry-url", "--flink-rest-url",
                "--kafka-property")
                .contains("--port", "(default:7070)")
                .contains("--host", "(default:127.0.0.1")
                .contains("--window", "(default:60m)")
                .contains("--refresh", "(default:2s;")
                .contains("--latest-alerts", "(default:20)")
                .contains("--alerts-topic", "(default:fraud.alerts.v1)")
                .contains("--dead-letters-topic", "(default:payments.transactions.dlq.v1)")
                .contains("--late-topic", "(default:payments.transactions.late.v1)");
    }

    @Test
    void anUnknownFlagIsOneLineAndExitCode2() {
        LauncherRun run = LauncherRun.of("dashboard", "--postgres-url", "jdbc:postgresql://localhost/db",
                "--bootstrap-servers", "localhost:9092", "--registry-url", "http://localhost:8081", "--colour", "blue");

        assertThat(run.exitCode()).isEqualTo(Tributary.USAGE);
        assertThat(run.err().strip().split("\\R")).singleElement().asString()
                .startsWith("tributary: Unknown options: '--colour'").endsWith("(see 'tributary dashboard --help')");
    }

    @Test
    void aValueTheDashboardCannotUseIsOneLineAndExitCode2BeforeAnythingStarts() {
        LauncherRun run = LauncherRun.of("dashboard", "--postgres-url", "jdbc:postgresql://localhost/db",
                "--bootstrap-servers", "localhost:9092", "--registry-url", "http://localhost:8081", "--refresh", "100ms");

        assertThat(run.exitCode()).isEqualTo(Tributary.USAGE);
        assertThat(run.err().strip().split("\\R")).singleElement().asString()
                .isEqualTo("tributary: the refresh interval must be at least 500 ms, got 100 ms"
                        + " (see 'tributary dashboard --help')");
    }
}
