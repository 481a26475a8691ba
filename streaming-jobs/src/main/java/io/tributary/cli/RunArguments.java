package io.tributary.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Reads a {@code tributary run JOB ...} command line, such as a FlinkDeployment's arguments, with
 * the real command line, and turns it into configuration overrides exactly as {@link RunCommand}
 * does: the deployment checks keep no second copy of the flag-to-option mapping.
 */
public final class RunArguments {
    /** A parsed {@code run} command line. */
    public record Parsed(String job, Map<String, String> overrides, Path configFile) {}

    private RunArguments() {}

    /**
     * Parses {@code args} as the JobManager would.
     *
     * @throws CommandLine.ParameterException for an unknown flag or a bad value, with picocli's message
     * @throws IllegalArgumentException when the arguments are not {@code run} and a job
     */
    public static Parsed parse(List<String> args) {
        ParseResult root = Tributary.commandLine().parseArgs(args.toArray(String[]::new));
        ParseResult run = root.subcommand();
        if (run == null || !run.commandSpec().name().equals("run")) {
            throw new IllegalArgumentException("the arguments do not start with 'run'");
        }
        ParseResult job = run.subcommand();
        if (job == null) {
            throw new IllegalArgumentException("'run' names no job");
        }
        RunCommand.JobOptions options = (RunCommand.JobOptions) job.commandSpec().mixins().get("options").userObject();
        return new Parsed(job.commandSpec().name(), options.overrides(), options.configuration.configFile);
    }
}
