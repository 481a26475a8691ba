package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.jobs.enrichment.EnrichmentOptions;
import org.junit.jupiter.api.Test;

/** {@code tributary run transactions-enrichment}: its help, and one clear line for each bad setting. */
class RunCommandTest {
    @Test
    void helpListsEveryOptionWithItsDefaultAndDescription() {
        String help = CliRun.of("run", "transactions-enrichment", "--help").out();

        assertThat(help).contains("--bootstrap-servers", "--registry-url", "--profile", "--config-file", "-D",
                "TRIBUTARY_TOKENIZATION_KEY");
        EnrichmentOptions.all().forEach(option -> assertThat(help).contains(option.key()));
        assertThat(help).contains("Default: PT24H").contains("Default: payments.transactions.v1");
    }

    @Test
    void aMissingRequiredOptionIsOneLine() {
        CliRun run = CliRun.of("run", "transactions-enrichment", "--registry-url", "http://localhost:8081");

        assertThat(run.exitCode()).isEqualTo(Tributary.FAILED);
        assertThat(run.errLines()).containsExactly(
                "tributary: Missing required option tributary.kafka.bootstrap-servers");
    }

    @Test
    void aMissingTokenizationKeyIsOneLineNamingTheVariable() {
        CliRun run = CliRun.of("run", "transactions-enrichment", "--bootstrap-servers", "localhost:9092",
                "--registry-url", "http://localhost:8081", "-D", "tributary.tokenization.key-env=NO_SUCH_VARIABLE_X");

        assertThat(run.errLines()).containsExactly("tributary: The tokenization key is missing: set the environment"
                + " variable NO_SUCH_VARIABLE_X to a base64 key of at least 32 bytes");
    }

    @Test
    void badValuesAndMisspeltOptionsAreOneLine() {
        assertThat(CliRun.of("run", "transactions-enrichment", "-D", "tributary.enrichment.allowed-lateness=soon")
                .errLines()).singleElement().asString()
                .startsWith("tributary: Invalid value 'soon' for tributary.enrichment.allowed-lateness");
        assertThat(CliRun.of("run", "transactions-enrichment", "-D", "tributary.enrichment.alowed-lateness=1 min")
                .errLines()).containsExactly(
                        "tributary: Unknown option 'tributary.enrichment.alowed-lateness'; see --help for the options");
        assertThat(CliRun.of("run", "transactions-enrichment", "--profile", "staging").errLines())
                .containsExactly("tributary: Unknown state profile 'staging'; profiles are [local, production]");
    }
}
