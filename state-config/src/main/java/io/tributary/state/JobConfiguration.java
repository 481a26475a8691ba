package io.tributary.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * The configuration a job runs with, resolved once at start-up from three layers: the state
 * profile, then an optional file, then the command line. It remembers where each value came from,
 * so that the job can print what it runs with, secrets masked.
 */
public final class JobConfiguration {
    /** Where a value came from. */
    public enum Origin {
        DEFAULT,
        PROFILE,
        FILE,
        COMMAND_LINE
    }

    private final Configuration configuration;
    private final Map<String, Origin> origins;

    private JobConfiguration(Configuration configuration, Map<String, Origin> origins) {
        this.configuration = configuration;
        this.origins = origins;
    }

    /**
     * Resolves the configuration.
     *
     * @param file flat {@code key: value} lines (Flink's classic format; {@code #} starts a comment), or null
     * @param commandLine {@code key=value} overrides from the command line
     * @param known every option the job reads: each is checked to parse, so that a bad value fails
     *     at start-up with the option's name rather than deep inside the job
     * @throws IllegalArgumentException with one clear line for an unknown profile, an unreadable
     *     file, a malformed line, an unknown {@code tributary.*} key or a value that does not parse
     */
    public static JobConfiguration resolve(Path file, Map<String, String> commandLine, Collection<ConfigOption<?>> known) {
        Map<String, String> fromFile = file == null ? Map.of() : readFile(file);
        Map<String, String> overrides = new LinkedHashMap<>(fromFile);
        overrides.putAll(commandLine);
        for (String key : overrides.keySet()) {
            if (key.startsWith("tributary.") && known.stream().noneMatch(o -> o.key().equals(key))) {
                throw new IllegalArgumentException("Unknown option '" + key + "'; see --help for the options");
            }
        }

        String profileName = overrides.getOrDefault(StateOptions.PROFILE.key(), StateOptions.PROFILE.defaultValue());
        StateProfile profile = StateProfile.named(profileName);
        Configuration configuration = new Configuration();
        Map<String, Origin> origins = new TreeMap<>();
        profile.settings().forEach((option, value) -> {
            set(configuration, option, value);
            origins.put(option.key(), Origin.PROFILE);
        });
        overrides.forEach((key, value) -> {
            configuration.setString(key, value);
            origins.put(key, commandLine.containsKey(key) ? Origin.COMMAND_LINE : Origin.FILE);
        });
        for (ConfigOption<?> option : known) {
            try {
                configuration.get(option);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("Invalid value '" + configuration.toMap().get(option.key())
                        + "' for " + option.key() + ": " + e.getMessage(), e);
            }
            origins.putIfAbsent(option.key(), Origin.DEFAULT);
        }
        return new JobConfiguration(configuration, origins);
    }

    /** The Flink configuration, for the execution environment and the job's options. */
    public Configuration configuration() {
        return configuration;
    }

    /**
     * The configuration without the profile's settings: what the file and the command line set, and
     * defaults. For batch jobs (a backfill, a compaction), which take no checkpoints and need no
     * state backend, and would fail on a profile's checkpoint storage without its directory.
     */
    public Configuration withoutProfile() {
        Configuration explicit = new Configuration();
        Map<String, String> values = configuration.toMap();
        origins.forEach((key, origin) -> {
            if ((origin == Origin.FILE || origin == Origin.COMMAND_LINE) && values.containsKey(key)) {
                explicit.setString(key, values.get(key));
            }
        });
        return explicit;
    }

    /** One line per option, sorted, {@code key = value (origin)}, secrets masked: printed at start-up. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        Map<String, String> values = configuration.toMap();
        origins.forEach((key, origin) -> {
            String value = values.get(key);
            lines.add(key + " = " + (isSecret(key) && value != null ? "******" : value == null ? "(default)" : value)
                    + "  [" + origin.name().toLowerCase(Locale.ROOT).replace('_', ' ') + "]");
        });
        return lines;
    }

    /** Whether a key names a secret whose value must never be printed or logged. */
    public static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.contains("token") || k.endsWith(".key")
                || k.contains("sasl.jaas");
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void set(Configuration configuration, ConfigOption option, Object value) {
        configuration.set(option, value);
    }

    private static Map<String, String> readFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read configuration file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + " is not 'key: value'");
            }
            values.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
        }
        return values;
    }
}
