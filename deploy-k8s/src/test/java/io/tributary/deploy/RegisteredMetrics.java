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
 * {@code .gauge("x", ...)}, {@code .histogram} and {@code .meter}, with the key of a
 * {@code addGroup("key", value)} right before it (which becomes part of the name, the value a label).
 */
final class RegisteredMetrics {
    private static final Pattern REGISTRATION = Pattern.compile(
            "(?:addGroup\\(\\s*\"(\\w+)\"\\s*,[^)]*\\)\\s*)?\\.(?:counter|gauge|histogram|meter)\\(\\s*\"(\\w+)\"");

    private RegisteredMetrics() {}

    /** Names like {@code enriched} or {@code reason_deadLetters}. */
    static Set<String> scan(Path sources) {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = REGISTRATION.matcher(Files.readString(file));
                while (m.find()) {
                    names.add(m.group(1) == null ? m.group(2) : m.group(1) + "_" + m.group(2));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the jobs' sources in " + sources, e);
        }
        return names;
    }
}
