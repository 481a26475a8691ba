package io.tributary.state;

import java.io.FileNotFoundException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.flink.configuration.YamlParserUtils;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * A configuration file read as Flink 2 reads its {@code config.yaml}: with Flink's own YAML loader,
 * nested keys joined with dots, so that {@code a:\n  b: 1} and {@code a.b: 1} are the same setting,
 * lists kept in YAML's flow form ({@code [x, y]}), which Flink's list options parse.
 */
final class ConfigurationFile {
    /** Where Flink's parse errors say a problem is: a line {@code " in reader, line 3, column 5"}. */
    private static final Pattern MARK = Pattern.compile("\\R\\s*in .*, line (\\d+), column (\\d+)$", Pattern.MULTILINE);

    private ConfigurationFile() {}

    /**
     * The file's settings, flat {@code key -> value}, in the file's order.
     *
     * @throws IllegalArgumentException with one line naming the file (and the line, for a YAML error)
     */
    static Map<String, String> read(Path file) {
        Map<String, Object> document;
        try {
            document = YamlParserUtils.loadYamlFile(file.toFile());
        } catch (YamlEngineException e) {
            throw new IllegalArgumentException(parseError(file, e), e);
        } catch (ClassCastException e) {
            // Flink's loader casts the document to a map: this one is a list or a plain value.
            throw new IllegalArgumentException(file + " is not YAML of 'key: value' settings", e);
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException("Cannot read configuration file " + file + ": no such file", e);
        } catch (Exception e) {
            throw new IllegalArgumentException("Cannot read configuration file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        flatten(file, "", document, settings);
        return settings;
    }

    private static void flatten(Path file, String prefix, Map<?, ?> nested, Map<String, String> settings) {
        nested.forEach((name, value) -> {
            String key = prefix + name;
            if (value instanceof Map<?, ?> map) {
                flatten(file, key + ".", map, settings);
            } else if (value == null) {
                throw new IllegalArgumentException(file + ": " + key + " has no value");
            } else {
                // As Flink's Configuration turns a YAML value into a string: numbers, booleans and
                // lists in YAML's own notation.
                settings.put(key, value instanceof String s ? s : YamlParserUtils.toYAMLString(value));
            }
        });
    }

    /**
     * Flink's parse error on one line. Its message is lines of what went wrong, each followed by a
     * line saying where; it leaves out the text of the line, which may hold a secret, and so does this.
     */
    private static String parseError(Path file, YamlEngineException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        return file + " is not valid YAML: " + MARK.matcher(message).replaceAll(" at line $1, column $2").strip()
                .replaceAll("\\s*\\R\\s*", "; ");
    }
}
