package io.tributary.jobs.warehouse;

import io.tributary.localstack.LocalServers;
import io.tributary.localstack.junit.LocalServersExtension;
import java.lang.reflect.Method;
import java.util.Locale;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests the {@link WarehouseFixture} as a parameter of constructors, lifecycle and test
 * methods. As {@link LocalServersExtension} does with the servers, the fixture is prepared when the
 * first test asks for it (on the servers of {@link LocalServers}), shared by every test class of the
 * run, and closed when the run ends. If preparing it fails, every test that asks for it fails with
 * that cause, without preparing it again.
 *
 * <p>A test method that changes tables takes a {@link LocalWarehouse} parameter: its own deep copy
 * of the fixture's tables ({@link WarehouseFixture#copyOfTheTables}, named after the method), closed
 * when the test ends.
 *
 * <pre>{@code
 * @ExtendWith(WarehouseFixtureExtension.class)
 * class WarehouseSomethingIT {
 *     private final WarehouseFixture fixture;
 *
 *     WarehouseSomethingIT(WarehouseFixture fixture) {
 *         this.fixture = fixture;
 *     }
 *
 *     @Test
 *     void changesACopy(LocalWarehouse warehouse) {
 *     }
 * }
 * }</pre>
 */
final class WarehouseFixtureExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(WarehouseFixtureExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == WarehouseFixture.class
                || type == LocalWarehouse.class && parameter.getDeclaringExecutable() instanceof Method;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        // The root context's store is closed when the whole run ends, not when a test class does.
        ExtensionContext.Store root = context.getRoot().getStore(NAMESPACE);
        root.getOrComputeIfAbsent(StopServersAtEndOfRun.class, key -> new StopServersAtEndOfRun(),
                StopServersAtEndOfRun.class);
        WarehouseFixture fixture =
                root.getOrComputeIfAbsent(SharedFixture.class, key -> new SharedFixture(), SharedFixture.class).get();
        if (parameter.getParameter().getType() == WarehouseFixture.class) {
            return fixture;
        }
        // The method's store is closed when the test ends.
        LocalWarehouse copy = fixture.copyOfTheTables(namespaceOf(context.getRequiredTestMethod()));
        context.getStore(NAMESPACE).put(parameter, copy);
        return copy;
    }

    /** E.g. {@code a_backfill_of_the_whole_range} for {@code aBackfillOfTheWholeRange()}. */
    private static String namespaceOf(Method test) {
        return test.getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    /** The fixture of this run, prepared at most once; a failure to prepare it is kept and reported to every caller. */
    private static final class SharedFixture implements AutoCloseable {
        private WarehouseFixture fixture;
        private Throwable failure;

        synchronized WarehouseFixture get() {
            if (fixture == null && failure == null) {
                try {
                    fixture = new WarehouseFixture(LocalServers.kafka(), LocalServers.schemaRegistry());
                } catch (Exception | AssertionError e) {
                    failure = e;
                }
            }
            if (failure != null) {
                throw new IllegalStateException("Preparing the shared warehouse run failed", failure);
            }
            return fixture;
        }

        @Override
        public synchronized void close() {
            if (fixture != null) {
                fixture.close();
            }
        }
    }

    /** The servers the fixture started are stopped at the end of the run, as LocalServersExtension stops them. */
    private static final class StopServersAtEndOfRun implements AutoCloseable {
        @Override
        public void close() {
            LocalServers.closeAll();
        }
    }
}
