package io.tributary.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * How a {@code tributary} JVM of its own ends: with the command's exit code, one line on standard
 * error when it failed, and always within seconds. Picocli turns exceptions into exit codes but lets
 * {@link Error}s through (a {@code NoSuchMethodError} from a classpath conflict, an
 * {@code OutOfMemoryError}); without this, {@code main} ended with a stack trace while the threads of
 * an in-process Kafka broker or mini-cluster kept the JVM alive. Servers the command started are
 * stopped by their shutdown hooks; should one hang, the JVM is halted after {@link #SHUTDOWN_GRACE}.
 *
 * <p>Not for the entry point inside a Flink cluster ({@link ApplicationMain}): there the JVM is
 * Flink's, and exiting it would end the JobManager.
 */
public final class CommandLineMain {
    /** How long shutdown hooks (stopping the local servers) may take before the JVM is halted. */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);

    private CommandLineMain() {
    }

    /** Runs the command line built by {@code cli} on {@code args}, then exits the JVM with its code. */
    public static void runAndExit(Supplier<CommandLine> cli, String[] args) {
        int code = run(cli, args, System.err);
        exit(code);
    }

    /**
     * Runs the command line and returns its exit code; anything it throws, {@link Error}s included,
     * becomes one line on {@code err} and {@link Tributary#FAILED}.
     */
    static int run(Supplier<CommandLine> cli, String[] args, PrintStream err) {
        try {
            return cli.get().execute(args);
        } catch (Throwable e) { // the last place where anything can still become an exit code
            err.println("tributary: " + e.getClass().getSimpleName() + ": " + Tributary.oneLine(e));
            err.flush();
            return Tributary.FAILED;
        }
    }

    private static void exit(int code) {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(SHUTDOWN_GRACE.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("tributary: servers did not stop within " + SHUTDOWN_GRACE.toSeconds() + " s; halting");
            Runtime.getRuntime().halt(code == 0 ? Tributary.FAILED : code);
        }, "tributary-exit-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        System.exit(code);
    }
}
