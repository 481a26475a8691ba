package io.tributary.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.cli.Tributary;
import org.junit.jupiter.api.Test;

class LocalLauncherTest {
    @Test
    void offersTheJobImageCommandsAndLocal() {
        assertThat(LauncherRun.of("--help").out()).contains("run", "schemas", "local", "dashboard");
        assertThat(LauncherRun.of("local", "--help").out()).contains("--duration", "--rate", "--seed", "--accounts");
    }

    @Test
    void aBadValueOfLocalIsOneLineAndExitCode2() {
        LauncherRun run = LauncherRun.of("local", "--duration", "soon");

        assertThat(run.exitCode()).isEqualTo(Tributary.USAGE);
        assertThat(run.err().strip().split("\\R")).singleElement().asString()
                .startsWith("tributary: ").contains("'soon' is not a duration").endsWith("(see 'tributary local --help')");
    }
}
