package io.tributary.state;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ConfigurationUtils;
import org.apache.flink.configuration.GlobalConfiguration;

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
     * @param file a YAML file as Flink 2's {@code config.yaml}: nested or flat keys, quoted values,
     *     lists, {@code #} comments; or null
     * @param commandLine {@code key=value} overrides from the command line
     * @param known every option the job reads: each is checked to parse, so that a bad value fails
     *     at start-up with the option's name rather than deep inside the job. A map option's entries
     *     may also be given one by one in Flink's prefix notation, {@code <option>.<entry key>}
     * @throws IllegalArgumentException with one clear line for an unreadable or malformed file or an
     *     unknown {@code tributary.*} key; a {@link SettingException} for an unknown profile or a
     *     value that does not parse
     */
    public static JobConfiguration resolve(Path file, Map<String, String> commandLine, Collection<ConfigOption<?>> known) {
        Map<String, String> fromFile = file == null ? Map.of() : ConfigurationFile.read(file);
        List<ConfigOption<?>> mapOptions = known.stream().filter(ConfigurationUtils::canBePrefixMap).toList();
        Stream.concat(fromFile.keySet().stream(), commandLine.keySet().stream())
                .filter(key -> key.startsWith("tributary.") && known.stream().noneMatch(o -> o.key().equals(key))
                        && mapOptionOfEntry(key, mapOptions) == null)
                .findFirst().ifPresent(key -> {
                    throw new IllegalArgumentException("Unknown option '" + key + "'; see --help for the options");
                });

        String profileName = commandLine.getOrDefault(StateOptions.PROFILE.key(),
                fromFile.getOrDefault(StateOptions.PROFILE.key(), StateOptions.PROFILE.defaultValue()));
        Layers layers = new Layers(mapOptions);
        layers.add(asStrings(StateProfile.named(profileName)), Origin.PROFILE);
        layers.add(fromFile, Origin.FILE);
        layers.add(commandLine, Origin.COMMAND_LINE);
        Configuration configuration = Configuration.fromMap(layers.values);
        for (ConfigOption<?> option : known) {
            parse(configuration, option);
            if (!configuration.contains(option)) {
                layers.origins.put(option.key(), Origin.DEFAULT);
            }
        }
        return new JobConfiguration(configuration, layers.origins);
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

    /**
     * Whether a key names a secret whose value must never be printed or logged: what Flink hides in
     * its own logs (passwords, secrets, tokens, JAAS configs, API keys, ...), keys ending in
     * {@code .key}, and credentials (an Iceberg REST catalog's). A map's entry in prefix notation is
     * judged by its own key, e.g. {@code tributary.kafka.client-properties.sasl.jaas.config}.
     */
    public static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return GlobalConfiguration.isSensitive(k) || k.endsWith(".key") || k.contains("credential");
    }

    /** The option's value, or one clear line saying why it does not parse. */
    private static Object parse(Configuration configuration, ConfigOption<?> option) {
        try {
            return configuration.get(option);
        } catch (RuntimeException e) {
            // Flink's message quotes the value: not for a secret, nor for a map, whose entries may be.
            if (isSecret(option.key()) || ConfigurationUtils.canBePrefixMap(option)) {
                throw new SettingException("Invalid value for ", option.key(), " (not shown, as it may hold a secret)"
                        + (ConfigurationUtils.canBePrefixMap(option)
                                ? ": expected {key: value, ...} or key:value,key:value" : ""), e);
            }
            throw new SettingException("Invalid value '" + configuration.toMap().get(option.key()) + "' for ",
                    option.key(), ": " + e.getMessage(), e);
        }
    }

    /** The map option that {@code key} is an entry of, in prefix notation, or null. */
    private static ConfigOption<?> mapOptionOfEntry(String key, List<ConfigOption<?>> mapOptions) {
        return mapOptions.stream().filter(o -> key.startsWith(o.key() + ".")).findFirst().orElse(null);
    }

    /** The profile's settings as Flink writes them in a file, so that every layer is strings. */
    private static Map<String, String> asStrings(StateProfile profile) {
        Configuration settings = new Configuration();
        profile.settings().forEach((option, value) -> set(settings, option, value));
        return settings.toMap();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void set(Configuration configuration, ConfigOption option, Object value) {
        configuration.set(option, value);
    }

    /**
     * The values as each layer sets them over the ones below, with their origins. A map option is
     * kept as one key per entry, Flink's prefix notation, however it was given: a whole map replaces
     * the map, an entry replaces only that entry, and each entry prints with its own origin and is
     * masked by its own key.
     */
    private static final class Layers {
        final Map<String, String> values = new LinkedHashMap<>();
        final Map<String, Origin> origins = new TreeMap<>();
        private final List<ConfigOption<?>> mapOptions;

        Layers(List<ConfigOption<?>> mapOptions) {
            this.mapOptions = mapOptions;
        }

        void add(Map<String, String> layer, Origin origin) {
            layer.forEach((key, value) -> set(key, value, origin));
        }

        private void set(String key, String value, Origin origin) {
            ConfigOption<?> whole = mapOptions.stream().filter(o -> o.key().equals(key)).findFirst().orElse(null);
            ConfigOption<?> ofEntry = mapOptionOfEntry(key, mapOptions);
            if (whole != null) {
                List.copyOf(values.keySet()).stream().filter(k -> k.startsWith(key + ".")).forEach(this::remove);
                put(key, value, origin);
                spreadIntoEntries(whole);
            } else if (ofEntry != null) {
                spreadIntoEntries(ofEntry);
                remove(ofEntry.key()); // what is left of the whole value is an empty map, which this entry replaces
                put(key, value, origin);
            } else {
                put(key, value, origin);
            }
        }

        /** Turns the whole value of a map option into one key per entry; an empty map stays as it is. */
        private void spreadIntoEntries(ConfigOption<?> mapOption) {
            String key = mapOption.key();
            if (!values.containsKey(key)) {
                return;
            }
            Map<?, ?> entries = (Map<?, ?>) parse(Configuration.fromMap(Map.of(key, values.get(key))), mapOption);
            if (!entries.isEmpty()) {
                Origin origin = origins.get(key);
                remove(key);
                entries.forEach((entry, value) -> put(key + "." + entry, String.valueOf(value), origin));
            }
        }

        private void put(String key, String value, Origin origin) {
            values.put(key, value);
            origins.put(key, origin);
        }

        private void remove(String key) {
            values.remove(key);
            origins.remove(key);
        }
    }
}
