package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class CommandLineMainTest {
    /** A command failing as the launcher did on a fresh machine: with an Error, which picocli lets through. */
    @Command(name = "broken")
    static final class Broken implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new NoSuchMethodError("'org.apache.commons.io.input.BoundedInputStream$Builder "
                    + "org.apache.commons.io.input.BoundedInputStream.builder()'");
        }
    }

    @Test
    void anErrorBecomesOneLineAndExitCode1() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = CommandLineMain.run(() -> new CommandLine(new Broken()), new String[0],
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).isEqualTo(Tributary.FAILED);
        assertThat(err.toString(StandardCharsets.UTF_8).strip().split("\\R")).singleElement().asString()
                .isEqualTo("tributary: NoSuchMethodError: 'org.apache.commons.io.input.BoundedInputStream$Builder"
                        + " org.apache.commons.io.input.BoundedInputStream.builder()'");
    }

    @Test
    void theApplicationEntryPointThrowsTheCommandsErrorInsteadOfExiting() {
        // Were it to call System.exit, this test JVM would end here and the build report it.
        assertThatThrownBy(() -> ApplicationMain.main(new String[] {"run", "no-such-job"}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("tributary run no-such-job exited with code 2: tributary: ")
                .hasMessageContaining("no-such-job");
    }
}
