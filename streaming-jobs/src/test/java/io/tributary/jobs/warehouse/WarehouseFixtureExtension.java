package io.tributary.jobs.warehouse;

import io.tributary.localstack.LocalServers;
import io.tributary.localstack.junit.LocalServersExtension;
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
 * <pre>{@code
 * @ExtendWith(WarehouseFixtureExtension.class)
 * class WarehouseSomethingIT {
 *     private final WarehouseFixture fixture;
 *
 *     WarehouseSomethingIT(WarehouseFixture fixture) {
 *         this.fixture = fixture;
 *     }
 * }
 * }</pre>
 */
final class WarehouseFixtureExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(WarehouseFixtureExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == WarehouseFixture.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        // The root context's store is closed when the whole run ends, not when a test class does.
        ExtensionContext.Store root = context.getRoot().getStore(NAMESPACE);
        root.getOrComputeIfAbsent(StopServersAtEndOfRun.class, key -> new StopServersAtEndOfRun(),
                StopServersAtEndOfRun.class);
        return root.getOrComputeIfAbsent(SharedFixture.class, key -> new SharedFixture(), SharedFixture.class).get();
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
