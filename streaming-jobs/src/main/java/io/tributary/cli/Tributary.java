package io.tributary.cli;

import io.tributary.jobs.warehouse.WarehouseOptions;
import io.tributary.state.SettingException;
import java.io.PrintWriter;
import java.util.HashSet;
import java.util.Set;
import org.apache.flink.runtime.client.JobExecutionException;
import org.apache.flink.util.ExceptionUtils;
import org.apache.flink.util.SerializedThrowable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code tributary} command line of the job image: schema registration and checks, the data
 * dictionary, and running a job. Errors are one line on standard error and a non-zero exit code: 1
 * when the command failed or found a problem, 2 for a bad flag or option. An error about a
 * configuration option names the flag that sets it, where the command has one; a job that fails
 * in-process prints its root cause. The developer's launcher
 * ({@code ./tributary}, in local-stack) adds {@code local}, which needs the embedded servers that the
 * image leaves out.
 */
@Command(
        name = "tributary",
        mixinStandardHelpOptions = true,
        versionProvider = Tributary.Version.class,
        description = "Real-time payment event processing with exactly-once delivery.",
        subcommands = {RunCommand.class, SchemasCommand.class, BackfillCommand.class, WarehouseCommand.class,
            KafkaCommand.class, DlqCommand.class, LineageCommand.class, GdprCommand.class})
public final class Tributary {
    /** Exit code of a command that ran and found a problem, or failed. */
    public static final int FAILED = 1;
    /** Exit code of a command line that could not be understood. */
    public static final int USAGE = 2;

    public static void main(String[] args) {
        CommandLineMain.runAndExit(Tributary::commandLine, args);
    }

    /**
     * The command line with Tributary's error handling; tests run it in-process.
     *
     * @param moreSubcommands picocli command objects added beside {@code run} and {@code schemas}
     */
    public static CommandLine commandLine(Object... moreSubcommands) {
        CommandLine cli = new CommandLine(new Tributary());
        for (Object subcommand : moreSubcommands) {
            cli.addSubcommand(subcommand);
        }
        RunCommand.addJobs(cli.getSubcommands().get("run"));
        RunCommand.describeOptions(cli.getSubcommands().get("backfill"), WarehouseOptions.backfillOptions());
        CommandLine warehouse = cli.getSubcommands().get("warehouse");
        for (String maintenance : new String[] {"query", "expire-snapshots", "compact"}) {
            RunCommand.describeOptions(warehouse.getSubcommands().get(maintenance), WarehouseOptions.maintenanceOptions());
        }
        CommandLine erase = cli.getSubcommands().get("gdpr").getSubcommands().get("erase");
        RunCommand.describeOptions(erase, GdprCommand.Erase.options());
        erase.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((e, args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("tributary: " + e.getMessage() + " (see '" + e.getCommandLine().getCommandSpec().qualifiedName()
                    + " --help')");
            return USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("tributary: " + errorLine(e, commandLine));
            return FAILED;
        });
        return cli;
    }

    /**
     * What a command's failure prints: the setting named as the user gave it, by its flag where the
     * command has one; a failed Flink job's root cause, not Flink's "Job execution failed."; else
     * {@link #oneLine}.
     */
    static String errorLine(Exception e, CommandLine command) {
        if (e instanceof SettingException setting) {
            String flag = RunCommand.JobOptions.FLAGS.get(setting.key());
            if (flag != null && command.getCommandSpec().findOption(flag) != null) {
                return setting.messageNaming(flag + " (" + setting.key() + ")");
            }
        }
        if (ExceptionUtils.findThrowable(e, JobExecutionException.class).isPresent()) {
            return command.getCommandName() + " failed: " + rootCause(e);
        }
        return oneLine(e);
    }

    /** The innermost cause, with its class: a job's failure is often an exception of the user's code. */
    public static String rootCause(Throwable e) {
        Throwable root = e;
        Set<Throwable> seen = new HashSet<>();
        while (root.getCause() != null && seen.add(root)) {
            root = root.getCause();
        }
        // Flink stands in a SerializedThrowable for an exception it could not deserialize; its message
        // already starts with the original class.
        String message = root.getMessage();
        String line = root instanceof SerializedThrowable ? message
                : message == null ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + message;
        return line.replaceAll("\\s*\\R\\s*", " ");
    }

    /** The message of the exception, or of its cause when it has none, on one line. */
    public static String oneLine(Throwable e) {
        Throwable shown = e;
        while (shown.getMessage() == null && shown.getCause() != null) {
            shown = shown.getCause();
        }
        String message = shown.getMessage() != null ? shown.getMessage() : shown.getClass().getSimpleName();
        return message.replaceAll("\\s*\\R\\s*", " ");
    }

    /** The version from the jar's manifest, when there is one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Tributary.class.getPackage().getImplementationVersion();
            return new String[] {"tributary " + (version != null ? version : "(development build)")};
        }
    }
}
