package io.tributary.localstack.junit;

import io.tributary.localstack.KafkaBroker;
import io.tributary.localstack.LocalServers;
import io.tributary.localstack.PostgresServer;
import io.tributary.localstack.RedisServer;
import io.tributary.localstack.SchemaRegistryServer;
import io.tributary.localstack.SecuredKafkaBroker;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests the servers of {@link LocalServers} as parameters of test methods, lifecycle
 * methods and constructors. Each server starts when the first test asks for it and is shared by
 * every test of the run, then stopped when the run ends.
 *
 * <pre>{@code
 * @ExtendWith(LocalServersExtension.class)
 * class PaymentsIT {
 *     @Test
 *     void roundTrip(KafkaBroker kafka, SchemaRegistryServer registry) { ... }
 * }
 * }</pre>
 *
 * <p>A {@link SecuredKafkaBroker} parameter gets a broker of its own (SASL_SSL, SCRAM, ACLs), also
 * started once per run, beside the plain {@link KafkaBroker}.
 */
public final class LocalServersExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LocalServersExtension.class);

    private static final Map<Class<?>, Supplier<?>> SERVERS = Map.of(
            KafkaBroker.class, LocalServers::kafka,
            SecuredKafkaBroker.class, LocalServers::securedKafka,
            SchemaRegistryServer.class, LocalServers::schemaRegistry,
            RedisServer.class, LocalServers::redis,
            PostgresServer.class, LocalServers::postgres);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return SERVERS.containsKey(parameter.getParameter().getType());
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        // The root context's store is closed when the whole run ends, not when a test class does.
        context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(StopAtEndOfRun.class, key -> new StopAtEndOfRun(),
                StopAtEndOfRun.class);
        return SERVERS.get(parameter.getParameter().getType()).get();
    }

    /** JUnit closes {@link AutoCloseable} values of a store when the store's context ends. */
    private static final class StopAtEndOfRun implements AutoCloseable {
        @Override
        public void close() {
            LocalServers.closeAll();
        }
    }
}
