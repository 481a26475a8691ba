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
    @Option(names = "--config-file", description = "File of 'key: value' lines; the command line wins over it.")
    Path configFile;

    @Option(names = {"-D", "--set"}, paramLabel = "KEY=VALUE",
            description = "Any option below, or any Flink option, e.g. -D parallelism.default=4.")
    Map<String, String> set = new LinkedHashMap<>();

    JobConfiguration resolve(List<ConfigOption<?>> options) {
        return JobConfiguration.resolve(configFile, set, options);
    }
}
