package io.tributary.benchmarks.chaos;

import io.tributary.cli.DurationConverter;
import io.tributary.localstack.KafkaBroker;
import io.tributary.localstack.LocalServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code benchmarks/run chaos}: a {@link ChaosRun} on this machine's local servers, its table on
 * standard output; exit code 1 when anything was lost, duplicated or made up.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = "Runs transactions-enrichment, fraud-detection, warehouse-sink and live-metrics, each in a Flink"
                + " cluster of OS processes, while killing their TaskManagers and JobManagers, restarting the broker"
                + " and stopping the registry, Redis and PostgreSQL for a while each; compares the read_committed"
                + " outputs, the stores and the warehouse with the input.")
public final class ChaosCommand implements Callable<Integer> {
    @Option(names = "--payments", defaultValue = "100000", description = "Payment records written (default: ${DEFAULT-VALUE}).")
    long payments;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the traffic and of the fault times (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--rate", defaultValue = "1000", description = "Payment records written per second (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--kills", defaultValue = "5",
            description = "SIGKILLs of a job's process, the four jobs' in turn, every third one its JobManager (the others"
                    + " a TaskManager), every other one right after a checkpoint (default: ${DEFAULT-VALUE}).")
    int kills;

    @Option(names = "--registry-outage", defaultValue = "30s", converter = DurationConverter.class,
            description = "How long the registry is stopped, around the middle kill; 0s for none (default: ${DEFAULT-VALUE}).")
    Duration registryOutage;

    @Option(names = "--store-outage", defaultValue = "30s", converter = DurationConverter.class,
            description = "How long Redis, then PostgreSQL, is stopped while the payments flow; 0s for none"
                    + " (default: ${DEFAULT-VALUE}).")
    Duration storeOutage;

    @Option(names = "--broker-restart", defaultValue = "true", negatable = true, fallbackValue = "true",
            description = "SIGKILL the broker (in a JVM of its own) once and start it again (default: ${DEFAULT-VALUE}).")
    boolean brokerRestart;

    @Option(names = "--settle", defaultValue = "5m", converter = DurationConverter.class,
            description = "How long to wait, once the input is written, for every output, store and table to hold what it"
                    + " must; the counts are taken after it either way (default: ${DEFAULT-VALUE}).")
    Duration settle;

    @Option(names = "--work-dir", defaultValue = "target/chaos-runs",
            description = "Where the cluster's files and checkpoints go (default: ${DEFAULT-VALUE}).")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        if (payments < 1 || rate < 1 || kills < 0 || registryOutage.isNegative() || storeOutage.isNegative()
                || settle.isNegative()) {
            System.err.println("chaos: --payments and --rate must be positive, --kills, --registry-outage,"
                    + " --store-outage and --settle not negative");
            return 2;
        }
        Path work = Files.createDirectories(workDir).resolve("run-" + seed + "-" + System.currentTimeMillis());
        ChaosRun.Settings settings = new ChaosRun.Settings(payments, seed, rate, kills, registryOutage, brokerRestart,
                storeOutage, settle, work);
        // The broker in a JVM of its own, as a broker pod: so that it can be killed, and so that its
        // threads are not the harness's.
        try (KafkaBroker kafka = KafkaBroker.startInChildJvm()) {
            ChaosReport report = new ChaosRun(kafka, LocalServers.schemaRegistry(), LocalServers.redis(),
                    LocalServers.postgres(), settings, System.err).run();
            System.out.print(report.table());
            return report.clean() ? 0 : 1;
        } finally {
            LocalServers.closeAll();
        }
    }
}
