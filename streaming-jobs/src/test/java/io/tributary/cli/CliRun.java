package io.tributary.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One in-process run of the command line, with what it printed. */
record CliRun(int exitCode, String out, String err) {
    static CliRun of(String... args) {
        return of(Tributary.commandLine(), args);
    }

    /** A run of a command line with test commands added, e.g. {@code Tributary.commandLine(new Failing())}. */
    static CliRun of(CommandLine cli, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** The lines of standard error, without a trailing empty one. */
    String[] errLines() {
        return err.isEmpty() ? new String[0] : err.strip().split("\\R");
    }
}
