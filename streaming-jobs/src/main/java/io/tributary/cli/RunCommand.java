package io.tributary.cli;

import io.tributary.jobs.common.JobEnvironments;
import io.tributary.jobs.common.KafkaOptions;
import io.tributary.jobs.enrichment.EnrichmentOptions;
import io.tributary.jobs.enrichment.EnrichmentSettings;
import io.tributary.jobs.enrichment.EnrichmentSinks;
import io.tributary.jobs.enrichment.EnrichmentSources;
import io.tributary.jobs.enrichment.TransactionsEnrichmentJob;
import io.tributary.jobs.fraud.FraudDetectionJob;
import io.tributary.jobs.fraud.FraudOptions;
import io.tributary.jobs.fraud.FraudSettings;
import io.tributary.jobs.fraud.FraudSinks;
import io.tributary.jobs.fraud.FraudSources;
import io.tributary.jobs.metrics.LiveMetricsJob;
import io.tributary.jobs.metrics.MetricsOptions;
import io.tributary.jobs.metrics.MetricsSettings;
import io.tributary.jobs.metrics.MetricsSinks;
import io.tributary.jobs.metrics.MetricsSources;
import io.tributary.jobs.metrics.postgres.MetricsSchema;
import io.tributary.jobs.warehouse.WarehouseOptions;
import io.tributary.jobs.warehouse.WarehouseSettings;
import io.tributary.jobs.warehouse.WarehouseSinkJob;
import io.tributary.jobs.warehouse.WarehouseSources;
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
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tributary run JOB}: runs a job, on a Flink cluster when submitted to one, else in-process. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Runs a Tributary job.",
        subcommands = {RunCommand.Enrichment.class, RunCommand.FraudDetection.class, RunCommand.LiveMetrics.class,
            RunCommand.WarehouseSink.class})
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

        /** Prints the resolved configuration, then creates the job's environment. */
        StreamExecutionEnvironment environment(CommandSpec spec, String job, String note, JobConfiguration resolved) {
            PrintWriter out = spec.commandLine().getOut();
            out.println("Starting " + job + " with" + (note == null ? "" : " (" + note + ")") + ":");
            resolved.describe().forEach(line -> out.println("  " + line));
            out.flush();
            return JobEnvironments.create(job, resolved.configuration(), localDirectory);
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

    @Command(name = TransactionsEnrichmentJob.NAME, mixinStandardHelpOptions = true,
            description = {"Deduplicates, validates, masks and enriches payment events, exactly once.",
                "The tokenization key comes from the environment variable TRIBUTARY_TOKENIZATION_KEY."})
    static final class Enrichment implements Callable<Integer> {
        @Mixin
        JobOptions options;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            JobConfiguration resolved = options.resolve(EnrichmentOptions.all());
            EnrichmentSettings settings = EnrichmentSettings.from(resolved.configuration(), System.getenv());
            StreamExecutionEnvironment env = options.environment(spec, TransactionsEnrichmentJob.NAME,
                    "tokenization key " + settings.tokenizationKeyId(), resolved);
            TransactionsEnrichmentJob.build(env, settings, EnrichmentSources.kafka(settings), EnrichmentSinks.kafka(settings));
            env.execute(TransactionsEnrichmentJob.NAME);
            return 0;
        }
    }

    @Command(name = FraudDetectionJob.NAME, mixinStandardHelpOptions = true,
            description = "Computes card and account features from enriched payments and raises fraud alerts, exactly"
                    + " once, with the rules of the rules topic.")
    static final class FraudDetection implements Callable<Integer> {
        @Mixin
        JobOptions options;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            JobConfiguration resolved = options.resolve(FraudOptions.all());
            FraudSettings settings = FraudSettings.from(resolved.configuration(), System.getenv());
            StreamExecutionEnvironment env = options.environment(spec, FraudDetectionJob.NAME, null, resolved);
            FraudDetectionJob.build(env, settings, FraudSources.kafka(settings), FraudSinks.kafka(settings));
            env.execute(FraudDetectionJob.NAME);
            return 0;
        }
    }

    @Command(name = LiveMetricsJob.NAME, mixinStandardHelpOptions = true,
            description = "Writes one-minute totals per merchant category and country (payments, USD, declines,"
                    + " alerts) to PostgreSQL for the live dashboards; migrates its tables first.")
    static final class LiveMetrics implements Callable<Integer> {
        @Mixin
        JobOptions options;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            JobConfiguration resolved = options.resolve(MetricsOptions.all());
            MetricsSettings settings = MetricsSettings.from(resolved.configuration(), System.getenv());
            List<Integer> applied = MetricsSchema.migrate(settings.postgres(), System.getenv());
            StreamExecutionEnvironment env = options.environment(spec, LiveMetricsJob.NAME,
                    applied.isEmpty() ? "PostgreSQL schema up to date" : "PostgreSQL schema migrated: " + applied,
                    resolved);
            LiveMetricsJob.build(env, settings, MetricsSources.kafka(settings), MetricsSinks.of(settings));
            env.execute(LiveMetricsJob.NAME);
            return 0;
        }
    }

    @Command(name = WarehouseSinkJob.NAME, mixinStandardHelpOptions = true,
            description = {"Writes the raw (masked) payments, the changelogs, the enriched payments and the fraud"
                + " alerts to the warehouse's Iceberg tables, committed on checkpoints; creates the tables, or adds"
                + " the columns their contracts gained, first.",
                "The tokenization key comes from the environment variable TRIBUTARY_TOKENIZATION_KEY."})
    static final class WarehouseSink implements Callable<Integer> {
        @Mixin
        JobOptions options;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            JobConfiguration resolved = options.resolve(WarehouseOptions.sinkOptions());
            WarehouseSettings settings = WarehouseSettings.from(resolved.configuration(), System.getenv());
            settings.catalog().createOrEvolveTables();
            StreamExecutionEnvironment env = options.environment(spec, WarehouseSinkJob.NAME,
                    "warehouse " + settings.catalog().location(), resolved);
            WarehouseSinkJob.build(env, settings.catalog(),
                    WarehouseSources.kafka(settings, settings.catalog().currentSchemas()));
            env.execute(WarehouseSinkJob.NAME);
            return 0;
        }
    }

    /** Adds the job's configuration options, with defaults and descriptions, to its {@code --help}. */
    static void describeOptions(picocli.CommandLine run) {
        describeOptions(run, TransactionsEnrichmentJob.NAME, EnrichmentOptions.all());
        describeOptions(run, FraudDetectionJob.NAME, FraudOptions.all());
        describeOptions(run, LiveMetricsJob.NAME, MetricsOptions.all());
        describeOptions(run, WarehouseSinkJob.NAME, WarehouseOptions.sinkOptions());
    }

    private static void describeOptions(picocli.CommandLine run, String job, List<ConfigOption<?>> options) {
        describeOptions(run.getSubcommands().get(job), options);
    }

    /** Adds {@code options}, with defaults and descriptions, to the {@code --help} of {@code command}. */
    static void describeOptions(picocli.CommandLine command, List<ConfigOption<?>> options) {
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
