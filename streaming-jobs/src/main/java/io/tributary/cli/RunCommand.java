package io.tributary.cli;

import io.tributary.jobs.catalog.JobCatalog;
import io.tributary.jobs.common.JobSecrets;
import io.tributary.jobs.common.KafkaOptions;
import io.tributary.jobs.common.PreparedJob;
import io.tributary.jobs.common.TributaryJob;
import io.tributary.state.JobConfiguration;
import io.tributary.state.StateOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.description.HtmlFormatter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tributary run JOB}: runs a job, on a Flink cluster when submitted to one, else in-process. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Runs a Tributary job.")
final class RunCommand {

    /** Options every job takes; each becomes a configuration value. */
    static class JobOptions {
        /** The flags below by the key of the option each sets: errors about the option name the flag. */
        static final Map<String, String> FLAGS = Map.of(
                KafkaOptions.BOOTSTRAP_SERVERS.key(), "--bootstrap-servers",
                KafkaOptions.REGISTRY_URL.key(), "--registry-url",
                StateOptions.PROFILE.key(), "--profile");

        @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers (" + "tributary.kafka.bootstrap-servers).")
        String bootstrapServers;

        @Option(names = "--registry-url", description = "Schema registry URL (tributary.registry.url).")
        String registryUrl;

        @Option(names = "--profile", description = "State profile: local or production (tributary.state.profile).")
        String profile;

        /** The file and {@code -D} overrides, as every command with a configuration takes them. */
        @Mixin
        ConfigurationOptions configuration = new ConfigurationOptions();

        @Option(names = "--local-dir", defaultValue = ".local-run",
                description = "Where the local profile keeps checkpoints (default: ${DEFAULT-VALUE}).")
        Path localDirectory;

        JobConfiguration resolve(List<ConfigOption<?>> jobOptions) {
            return JobConfiguration.resolve(configuration.configFile, overrides(), jobOptions);
        }

        Map<String, String> overrides() {
            Map<String, String> overrides = new LinkedHashMap<>(configuration.set);
            if (bootstrapServers != null) {
                overrides.put(KafkaOptions.BOOTSTRAP_SERVERS.key(), bootstrapServers);
            }
            if (registryUrl != null) {
                overrides.put(KafkaOptions.REGISTRY_URL.key(), registryUrl);
            }
            if (profile != null) {
                overrides.put(StateOptions.PROFILE.key(), profile);
            }
            return overrides;
        }
    }

    /** {@code tributary run JOB}, for one job of the catalog. */
    @Command(mixinStandardHelpOptions = true)
    static final class JobCommand implements Callable<Integer> {
        private final TributaryJob<?> job;

        @Mixin
        JobOptions options;

        @Spec
        CommandSpec spec;

        JobCommand(TributaryJob<?> job) {
            this.job = job;
        }

        @Override
        public Integer call() throws Exception {
            JobConfiguration resolved = options.resolve(job.options());
            PreparedJob<?> prepared = PreparedJob.prepare(job, resolved, JobSecrets.fromEnvironment(System.getenv()),
                    options.localDirectory);
            PrintWriter out = spec.commandLine().getOut();
            out.println("Starting " + job.name() + " (" + prepared.summary() + ") with:");
            resolved.describe().forEach(line -> out.println("  " + line));
            out.flush();
            // On a cluster submitted detached (application mode), this returns once the job is submitted.
            prepared.environment().execute(job.name());
            return 0;
        }
    }

    /** Adds a subcommand per job of the catalog to {@code run}, with its options in its {@code --help}. */
    static void addJobs(CommandLine run) {
        for (TributaryJob<?> job : JobCatalog.all()) {
            CommandLine command = new CommandLine(new JobCommand(job));
            command.getCommandSpec().usageMessage().description(job.description().toArray(String[]::new));
            describeOptions(command, job.options());
            run.addSubcommand(job.name(), command);
        }
    }

    /** Adds {@code options}, with defaults and descriptions, to the {@code --help} of {@code command}. */
    static void describeOptions(CommandLine command, List<ConfigOption<?>> options) {
        command.getCommandSpec().usageMessage()
                .footerHeading("%nConfiguration options (-D key=value, or --config-file):%n")
                .footer(describe(options).toArray(String[]::new));
    }

    private static List<String> describe(List<ConfigOption<?>> options) {
        return options.stream()
                .map(o -> String.format("  %s%n      %s%s", o.key(),
                        new HtmlFormatter().format(o.description()).replaceAll("<[^>]+>", "").replace("%", "%%"),
                        o.hasDefaultValue() ? " Default: " + o.defaultValue() + "." : ""))
                .toList();
    }
}
