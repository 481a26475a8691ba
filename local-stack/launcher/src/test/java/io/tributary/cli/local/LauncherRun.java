package io.tributary.cli.local;

import io.tributary.cli.Tributary;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One in-process run of the launcher's command line, with what it printed. */
record LauncherRun(int exitCode, String out, String err) {
    static LauncherRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Tributary.commandLine(new LocalCommand(), new DashboardCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new LauncherRun(code, out.toString(), err.toString());
    }
}
