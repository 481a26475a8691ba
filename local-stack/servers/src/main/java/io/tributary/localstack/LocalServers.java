package io.tributary.localstack;

import io.tributary.localstack.internal.ChildProcessReaper;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The servers of this JVM, each started on first request and shared from then on, so a test
 * run starts each server at most once and only if some test needs it. Whatever was started is
 * closed by {@link #closeAll()} or, at the latest, when the JVM exits.
 */
public final class LocalServers {

    private static final Logger LOG = LoggerFactory.getLogger(LocalServers.class);

    private static final Slot<KafkaBroker> KAFKA = new Slot<>(KafkaBroker::start, KafkaBroker::close);
    private static final Slot<SecuredKafkaBroker> SECURED_KAFKA = new Slot<>(SecuredKafkaBroker::start, SecuredKafkaBroker::close);
    private static final Slot<SchemaRegistryServer> SCHEMA_REGISTRY = new Slot<>(SchemaRegistryServer::start, SchemaRegistryServer::close);
    private static final Slot<RedisServer> REDIS = new Slot<>(RedisServer::start, RedisServer::close);
    private static final Slot<PostgresServer> POSTGRES = new Slot<>(PostgresServer::start, PostgresServer::close);
    private static final List<Slot<?>> ALL = List.of(KAFKA, SECURED_KAFKA, SCHEMA_REGISTRY, REDIS, POSTGRES);

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                closeAll();
            } catch (RuntimeException e) {
                LOG.warn("Could not stop every local server at JVM exit", e);
            }
        }, "local-servers-shutdown"));
    }

    private LocalServers() {
    }

    public static KafkaBroker kafka() {
        return KAFKA.get();
    }

    /** A second broker, apart from {@link #kafka()}: SASL_SSL with SCRAM and ACLs. */
    public static SecuredKafkaBroker securedKafka() {
        return SECURED_KAFKA.get();
    }

    public static SchemaRegistryServer schemaRegistry() {
        return SCHEMA_REGISTRY.get();
    }

    public static RedisServer redis() {
        return REDIS.get();
    }

    public static PostgresServer postgres() {
        return POSTGRES.get();
    }

    /**
     * Makes {@code process} die with this JVM, however this JVM dies: for processes a test or a
     * benchmark starts itself, such as a job in a JVM of its own.
     */
    public static void dieWithThisJvm(Process process) {
        ChildProcessReaper.forThisJvm().register(process.pid());
    }

    /**
     * Stops every server started so far. A later request starts a new one. Every server is
     * stopped even if some fail to; the first failure is thrown with the others suppressed.
     */
    public static void closeAll() {
        RuntimeException failure = null;
        for (Slot<?> slot : ALL) {
            try {
                slot.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** One server, started at most once; its own lock lets different servers start in parallel. */
    private static final class Slot<T> {
        private final Supplier<T> starter;
        private final Consumer<T> stopper;
        private T server;

        Slot(Supplier<T> starter, Consumer<T> stopper) {
            this.starter = starter;
            this.stopper = stopper;
        }

        synchronized T get() {
            if (server == null) {
                server = starter.get();
            }
            return server;
        }

        synchronized void close() {
            T running = server;
            server = null;
            if (running != null) {
                stopper.accept(running);
            }
        }
    }
}
