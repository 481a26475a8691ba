package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.contracts.DataDictionary;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TributaryCliTest {
    @Test
    void helpListsTheCommandsAndTheirOptions() {
        assertThat(CliRun.of("--help").out()).contains("schemas", "run").doesNotContain("local");
        assertThat(CliRun.of("schemas", "--help").out()).contains("register", "check", "dictionary", "release");
        assertThat(CliRun.of("schemas", "register", "--help").out())
                .contains("--registry-url", "--registry-user", "--registry-token", "--registry-truststore",
                        "--registry-max-attempts", "TRIBUTARY_REGISTRY_URL");
    }

    @Test
    void aBadFlagIsOneLineAndExitCode2() {
        CliRun run = CliRun.of("schemas", "dictionary", "--bogus");

        assertThat(run.exitCode()).isEqualTo(Tributary.USAGE);
        assertThat(run.errLines()).singleElement().asString()
                .startsWith("tributary: Unknown option: '--bogus'")
                .endsWith("(see 'tributary schemas dictionary --help')");
    }

    @Test
    void aBadValueIsOneLine() {
        CliRun duration = CliRun.of("schemas", "register", "--registry-timeout", "soon");
        assertThat(duration.exitCode()).isEqualTo(Tributary.USAGE);
        assertThat(duration.errLines()).singleElement().asString().contains("'soon' is not a duration");

        CliRun url = CliRun.of("schemas", "register", "--registry-url", "localhost:8081");
        assertThat(url.exitCode()).isEqualTo(Tributary.FAILED);
        assertThat(url.errLines()).singleElement().asString()
                .isEqualTo("tributary: Schema registry url must be http://host[:port][/path] or https://..., got: localhost:8081");
    }

    @Test
    void registryCredentialsOverHttpAreRefusedInOneLineUnlessAllowed() {
        CliRun refused = CliRun.of("schemas", "register", "--registry-url", "http://127.0.0.1:1",
                "--registry-user", "svc", "--registry-password", "pw-123");
        assertThat(refused.exitCode()).isEqualTo(Tributary.FAILED);
        assertThat(refused.errLines()).singleElement().asString().isEqualTo("tributary: Refusing to send schema registry"
                + " credentials over plain http to http://127.0.0.1:1: use an https:// url, or allow insecure auth for a"
                + " registry on this machine");
        assertThat(refused.out() + refused.err()).doesNotContain("pw-123");

        CliRun allowed = CliRun.of("schemas", "register", "--registry-url", "http://127.0.0.1:1",
                "--registry-user", "svc", "--registry-password", "pw-123", "--registry-allow-insecure-auth",
                "--registry-max-attempts", "1");
        assertThat(allowed.exitCode()).isEqualTo(Tributary.FAILED);
        assertThat(allowed.errLines()).singleElement().asString().contains("unreachable").doesNotContain("Refusing");
    }

    @Test
    void writesTheDataDictionary(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("dictionary.md");

        CliRun run = CliRun.of("schemas", "dictionary", "--output", file.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(Files.readString(file)).isEqualTo(DataDictionary.render());
        assertThat(CliRun.of("schemas", "dictionary").out()).isEqualTo(DataDictionary.render());
    }

    @Test
    void releaseRefusesAnUnknownTopicAndAnUnchangedSchema(@TempDir Path dir) {
        CliRun unknown = CliRun.of("schemas", "release", "no.such.topic", "--history-dir", dir.toString());
        assertThat(unknown.exitCode()).isEqualTo(Tributary.FAILED);
        assertThat(unknown.errLines()).singleElement().asString().contains("No topic 'no.such.topic'");

        CliRun unchanged = CliRun.of("schemas", "release", "fx.rates.v1", "--history-dir", dir.toString());
        assertThat(unchanged.exitCode()).isEqualTo(Tributary.FAILED);
        assertThat(unchanged.errLines()).singleElement().asString()
                .isEqualTo("tributary: fx.rates.v1-value has no change since its latest release");
    }
}
