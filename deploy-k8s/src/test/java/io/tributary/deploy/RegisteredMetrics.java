package io.tributary.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The metrics the jobs register, read from their sources: every {@code .counter("x")},
 * {@code .gauge("x", ...)}, {@code .histogram} and {@code .meter}, with the keys of the
 * {@code addGroup("key", value)} calls chained right before it (each key becomes part of the name,
 * its value a label: {@code addGroup("topic", t).addGroup("field", f).gauge("nullRate", ...)} is
 * {@code topic_field_nullRate}).
 */
final class RegisteredMetrics {
    private static final Pattern REGISTRATION = Pattern.compile(
            "((?:\\.?addGroup\\(\\s*\"\\w+\"\\s*,[^)]*\\)\\s*)*)\\.(?:counter|gauge|histogram|meter)\\(\\s*\"(\\w+)\"");
    private static final Pattern GROUP_KEY = Pattern.compile("addGroup\\(\\s*\"(\\w+)\"");

    private RegisteredMetrics() {}

    /** Names like {@code enriched} or {@code reason_deadLetters}. */
    static Set<String> scan(Path sources) {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                names.addAll(in(Files.readString(file)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the jobs' sources in " + sources, e);
        }
        return names;
    }

    /** The names registered in one source text. */
    static Set<String> in(String source) {
        Set<String> names = new TreeSet<>();
        Matcher m = REGISTRATION.matcher(source);
        while (m.find()) {
            StringBuilder name = new StringBuilder();
            Matcher key = GROUP_KEY.matcher(m.group(1));
            while (key.find()) {
                name.append(key.group(1)).append('_');
            }
            names.add(name.append(m.group(2)).toString());
        }
        return names;
    }
}
