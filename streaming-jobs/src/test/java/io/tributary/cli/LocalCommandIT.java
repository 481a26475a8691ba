package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.localstack.junit.LocalServersExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The README's run command, shortened: it writes, reads back, and accounts for every record. */
@ExtendWith(LocalServersExtension.class)
class LocalCommandIT {
    @Test
    void producesReadsBackAndAccountsForEveryRecord() {
        CliRun run = CliRun.of("local", "--duration", "6s", "--rate", "300", "--seed", "11");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("Registered 9 subjects, created 9 topics.")
                .contains("Wrote 1000 account profiles")
                .contains("DECODE_")
                .containsPattern("Every record accounted for: yes \\(written [1-9]\\d+ = decoded [1-9]\\d+ \\+ rejected [1-9]\\d*\\)");
    }
}
