package io.tributary.cli.local;

import io.tributary.cli.CommandLineMain;
import io.tributary.cli.Tributary;

/**
 * The main class of {@code ./tributary}: every command of the job image, plus {@code local}, which
 * runs the pipeline on embedded servers, and {@code dashboard}, which serves the live dashboard. It
 * lives here, not in streaming-jobs, so that the job jar carries no embedded Kafka, registry, Redis
 * or PostgreSQL, and no web server.
 */
public final class LocalLauncher {
    private LocalLauncher() {
    }

    public static void main(String[] args) {
        CommandLineMain.runAndExit(() -> Tributary.commandLine(new LocalCommand(), new DashboardCommand()), args);
    }
}
