package io.tributary.benchmarks.endtoend;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The classpath of a job JVM: the harness's, less the RocksDB bindings of the other framework. The
 * harness holds both Flink's fork ({@code frocksdbjni}, with Flink's TTL compaction filter) and the
 * RocksDB that Kafka Streams is built against ({@code rocksdbjni}); both hold the same classes and
 * the same native library, so whichever came first would serve both, and the other framework would
 * run on bindings it was not built for, or fail. Each job gets its own.
 */
enum JobClasspath {
    FLINK("rocksdbjni-"),
    KAFKA_STREAMS("frocksdbjni-");

    private final String omittedJarPrefix;

    JobClasspath(String omittedJarPrefix) {
        this.omittedJarPrefix = omittedJarPrefix;
    }

    /** This JVM's classpath without the other framework's RocksDB jar. */
    String ofThisJvm() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !Path.of(entry).getFileName().toString().startsWith(omittedJarPrefix))
                .collect(Collectors.joining(File.pathSeparator));
    }
}
