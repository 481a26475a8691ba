package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What {@code gdpr erase} says before it touches anything: help, and bad input as one line. */
class GdprCommandTest {
    @Test
    void helpListsTheStoresAndTheOptionsItReads() {
        CliRun help = CliRun.of("gdpr", "erase", "--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--account").contains("--skip").contains("WAREHOUSE, REDIS")
                .contains("tributary.warehouse.unused-file-min-age").contains("tributary.topics.erasure-requests")
                .contains("tributary.redis.key-prefix").contains("PostgreSQL holds nothing to erase");
    }

    @Test
    void aMissingAccountIsAUsageError() {
        CliRun run = CliRun.of("gdpr", "erase", "--bootstrap-servers", "localhost:1", "--registry-url", "http://x");

        assertThat(run.exitCode()).isEqualTo(Tributary.USAGE);
        assertThat(run.err().strip()).startsWith("tributary: Missing required option: '--account=ID'")
                .doesNotContain("\n");
    }

    @Test
    void aBlankOrMultiLineAccountIsRefusedBeforeAnythingIsWritten() {
        for (String bad : new String[] {" ", "acc-1\nacc-2", " acc-1"}) {
            // No server listens on port 1: reaching Kafka would fail differently, and later.
            CliRun run = CliRun.of("gdpr", "erase", "--account", bad, "--bootstrap-servers", "localhost:1",
                    "--registry-url", "http://localhost:1", "--skip", "warehouse,redis");

            assertThat(run.exitCode()).isEqualTo(Tributary.FAILED);
            assertThat(run.err().strip()).isEqualTo("tributary: --account must be an account id: not blank, no"
                    + " surrounding spaces or control characters, at most 256 characters");
        }
    }

    @Test
    void anUnconfiguredStoreIsNamedWithTheSettingThatConfiguresIt() {
        CliRun run = CliRun.of("gdpr", "erase", "--account", "acc-000001", "--bootstrap-servers", "localhost:1",
                "--registry-url", "http://localhost:1", "--skip", "redis");

        assertThat(run.exitCode()).isEqualTo(Tributary.FAILED);
        assertThat(run.err().strip()).isEqualTo("tributary: warehouse is not configured"
                + " (-D tributary.warehouse.location=...): configure it or --skip warehouse");
    }
}
