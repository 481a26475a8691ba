package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.jobs.enrichment.EnrichmentOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void aMissingOrBadSettingIsOneLineNamingItsFlag() {
        CliRun noBootstrap = CliRun.of("run", "transactions-enrichment", "--registry-url", "http://localhost:8081");
        assertThat(noBootstrap.exitCode()).isEqualTo(Tributary.FAILED);
        assertThat(noBootstrap.errLines()).containsExactly(
                "tributary: Missing required option --bootstrap-servers (tributary.kafka.bootstrap-servers)");

        CliRun noRegistry = CliRun.of("run", "fraud-detection", "--bootstrap-servers", "localhost:9092");
        assertThat(noRegistry.exitCode()).isEqualTo(Tributary.FAILED);
        assertThat(noRegistry.errLines()).containsExactly(
                "tributary: Missing required option --registry-url (tributary.registry.url)");

        assertThat(CliRun.of("run", "fraud-detection", "--bootstrap-servers", "localhost:9092", "--registry-url",
                "localhost:8081").errLines()).containsExactly("tributary: Invalid --registry-url (tributary.registry.url):"
                        + " Schema registry url must be http://host[:port][/path] or https://..., got: localhost:8081");
        assertThat(CliRun.of("run", "fraud-detection", "--profile", "staging").errLines()).containsExactly(
                "tributary: Unknown state profile 'staging' for --profile (tributary.state.profile); profiles are"
                        + " [local, production]");
    }

    @Test
    void eachFlagThatErrorsNameIsAFlagOfEveryJob() {
        Tributary.commandLine().getSubcommands().get("run").getSubcommands().values().forEach(job ->
                assertThat(RunCommand.JobOptions.FLAGS.values())
                        .allMatch(flag -> job.getCommandSpec().findOption(flag) != null));
    }

    @Test
    void aMapOptionTakesItsEntriesOnTheCommandLineAndNoOtherUnknownKey() {
        // The entry is accepted: the run goes on to the next check, the tokenization key.
        assertThat(CliRun.of("run", "transactions-enrichment", "--bootstrap-servers", "localhost:9092",
                "--registry-url", "http://localhost:8081",
                "-D", "tributary.kafka.client-properties.security.protocol=SASL_SSL",
                "-D", "tributary.tokenization.key-env=NO_SUCH_VARIABLE_X").errLines())
                .singleElement().asString().startsWith("tributary: The tokenization key is missing");
        assertThat(CliRun.of("run", "transactions-enrichment", "-D",
                "tributary.kafka.client-propertie.security.protocol=SASL_SSL").errLines()).containsExactly(
                        "tributary: Unknown option 'tributary.kafka.client-propertie.security.protocol'; see --help"
                                + " for the options");
    }

    @Test
    void aMissingTokenizationKeyIsOneLineNamingTheVariable() {
        CliRun run = CliRun.of("run", "transactions-enrichment", "--bootstrap-servers", "localhost:9092",
                "--registry-url", "http://localhost:8081", "-D", "tributary.tokenization.key-env=NO_SUCH_VARIABLE_X");

        assertThat(run.errLines()).containsExactly("tributary: The tokenization key is missing: set the environment"
                + " variable NO_SUCH_VARIABLE_X to a base64 key of at least 32 bytes");
    }

    @Test
    void readsTheConfigFileAsFlinkReadsConfigYaml(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, """
                tributary:
                  kafka:
                    bootstrap-servers: localhost:9092
                    client-properties:
                      security.protocol: SASL_SSL
                  registry:
                    url: "http://localhost:8081"
                  tokenization:
                    key-env: NO_SUCH_VARIABLE_X   # read: the run goes on to look the key up
                """);

        assertThat(CliRun.of("run", "transactions-enrichment", "--config-file", file.toString()).errLines())
                .containsExactly("tributary: The tokenization key is missing: set the environment variable"
                        + " NO_SUCH_VARIABLE_X to a base64 key of at least 32 bytes");

        Files.writeString(file, "tributary:\n  kafka: [localhost:9092\n");
        CliRun malformed = CliRun.of("run", "transactions-enrichment", "--config-file", file.toString());
        assertThat(malformed.exitCode()).isEqualTo(Tributary.FAILED);
        assertThat(malformed.errLines()).singleElement().asString()
                .startsWith("tributary: " + file + " is not valid YAML: ").contains("at line 3");
    }

    @Test
    void badValuesAndMisspeltOptionsAreOneLine() {
        assertThat(CliRun.of("run", "transactions-enrichment", "-D", "tributary.enrichment.allowed-lateness=soon")
                .errLines()).singleElement().asString()
                .startsWith("tributary: Invalid value 'soon' for tributary.enrichment.allowed-lateness");
        assertThat(CliRun.of("run", "transactions-enrichment", "-D", "tributary.enrichment.alowed-lateness=1 min")
                .errLines()).containsExactly(
                        "tributary: Unknown option 'tributary.enrichment.alowed-lateness'; see --help for the options");
        assertThat(CliRun.of("run", "transactions-enrichment", "-D", "tributary.state.profile=staging").errLines())
                .containsExactly("tributary: Unknown state profile 'staging' for --profile (tributary.state.profile);"
                        + " profiles are [local, production]");
    }
}
