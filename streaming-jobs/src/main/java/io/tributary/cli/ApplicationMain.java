package io.tributary.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.stream.Collectors;
import picocli.CommandLine;

/**
 * The entry class of the FlinkDeployments ({@code job.entryClass}): runs {@code tributary run JOB
 * ...} inside a Flink application cluster, as the Kubernetes operator starts it.
 *
 * <p>It never exits the JVM. In application mode the JobManager process runs this {@code main};
 * the operator submits detached ({@code execution.attached: false}), so {@code execute()} returns as
 * soon as the job is submitted and {@code main} must then simply return, leaving the job running.
 * {@link Tributary#main} ends with {@code System.exit}, which there would end the JobManager (and,
 * with HA, again after every restart). A failure is thrown instead, so that Flink marks the
 * application failed with the command's own error line as the message.
 */
public final class ApplicationMain {
    private ApplicationMain() {
    }

    public static void main(String[] args) {
        StringWriter errors = new StringWriter();
        CommandLine cli = Tributary.commandLine();
        cli.setErr(new PrintWriter(new TeeWriter(errors), true));
        int code = cli.execute(args);
        if (code != 0) {
            throw new IllegalStateException(command(args) + " exited with code " + code + ": " + errors.toString().strip());
        }
    }

    /** The subcommand, without its options (they may name hosts and users, not secrets, but are long). */
    private static String command(String[] args) {
        return "tributary " + Arrays.stream(args).limit(2).collect(Collectors.joining(" "));
    }

    /** Writes to standard error (the JobManager's log) and keeps a copy for the exception's message. */
    private static final class TeeWriter extends java.io.Writer {
        private final StringWriter copy;

        TeeWriter(StringWriter copy) {
            this.copy = copy;
        }

        @Override
        public void write(char[] buffer, int offset, int length) {
            copy.write(buffer, offset, length);
            System.err.print(new String(buffer, offset, length));
        }

        @Override
        public void flush() {
            System.err.flush();
        }

        @Override
        public void close() {
            flush();
        }
    }
}
