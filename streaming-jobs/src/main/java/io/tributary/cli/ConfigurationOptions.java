package io.tributary.cli;

import io.tributary.state.JobConfiguration;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import picocli.CommandLine.Option;

/** The configuration flags of every command that has a configuration: a file and {@code -D} overrides. */
final class ConfigurationOptions {
    @Option(names = "--config-file", paramLabel = "FILE",
            description = "YAML file read as Flink's config.yaml: nested or flat keys; the command line wins over it.")
    Path configFile;

    @Option(names = {"-D", "--set"}, paramLabel = "KEY=VALUE",
            description = {"Any option below, or any Flink option, e.g. -D parallelism.default=4.",
                "A map option takes one entry at a time too, e.g."
                    + " -D tributary.kafka.client-properties.security.protocol=SASL_SSL."})
    Map<String, String> set = new LinkedHashMap<>();

    JobConfiguration resolve(List<ConfigOption<?>> options) {
        return JobConfiguration.resolve(configFile, set, options);
    }
}
