package io.tributary.benchmarks.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.localstack.KafkaBroker;
import io.tributary.localstack.PostgresServer;
import io.tributary.localstack.RedisServer;
import io.tributary.localstack.SchemaRegistryServer;
import io.tributary.localstack.junit.LocalServersExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chaos run, shortened for {@code mvn verify}: 15,000 payments written over 30 s into
 * transactions-enrichment, with fraud-detection, warehouse-sink and live-metrics reading its
 * output, each job in a Flink cluster of OS processes of its own, against a broker in a JVM of its
 * own (the extension's registry, Redis and PostgreSQL), the clusters with ZooKeeper high
 * availability; a process of each job is SIGKILLed and replaced: the TaskManagers of the
 * enrichment (right after a checkpoint completed, before or while its commit runs), of
 * fraud-detection and of live-metrics, and warehouse-sink's JobManager (right after a checkpoint
 * completed, so that the new one must commit what the old one decided); Redis, then PostgreSQL,
 * is stopped for 10 s while the payments flow, and started again on its port. Among the payments are
 * hostile records (a declared string length of 1.5 GB, a record of nearly 1 MB, an event dated a day
 * ahead, a NaN latitude, an event id reused with other content), and two invalid FX rates among the
 * reference data. Every unique valid payment must come out exactly once (enriched or late) and
 * every rejected record as one dead letter with the reason its kind calls for, as a read_committed
 * consumer sees them; the minute rows must count every enriched payment, no alert may come out
 * twice, every enriched account must have its feature hash with the values the enriched payments
 * give (1 in 1,000 may differ, see {@code DownstreamReport}), and the warehouse must hold every input
 * record that decodes, enriched payment and alert once, and no rejected record. Five valid payments
 * carry a canary card number and e-mail in clear: no place but the input topic and the DLQ may hold
 * them afterwards.
 */
@ExtendWith(LocalServersExtension.class)
class ChaosRunIT {

    @Test
    void losesAndDuplicatesNothingWhenTaskManagersAreKilled(SchemaRegistryServer registry, RedisServer redis,
            PostgresServer postgres, @TempDir Path work) throws Exception {
        ChaosRun.Settings settings = new ChaosRun.Settings(15_000, 7, 500, 4, Duration.ZERO, false,
                Duration.ofSeconds(10), Duration.ofSeconds(90), work);

        ChaosReport report;
        try (KafkaBroker kafka = KafkaBroker.startInChildJvm()) {
            report = new ChaosRun(kafka, registry, redis, postgres, settings, System.out).run();
        }

        System.out.print(report.table());
        assertThat(report.faults()).as("faults injected").extracting(Fault::kind).containsExactlyInAnyOrder(
                "SIGKILL TaskManager", "SIGKILL TaskManager", "SIGKILL JobManager", "SIGKILL TaskManager", "Redis stopped",
                "PostgreSQL stopped");
        List<String> kills = report.faults().stream().filter(f -> f.kind().startsWith("SIGKILL"))
                .map(f -> f.kind() + ": " + f.detail()).toList();
        assertThat(kills.get(0)).contains("TaskManager", "transactions-enrichment", "right after checkpoint");
        assertThat(kills.get(1)).contains("fraud-detection");
        assertThat(kills.get(2)).contains("JobManager", "warehouse-sink", "right after checkpoint");
        assertThat(kills.get(3)).contains("live-metrics");
        assertThat(report.expected()).as("unique valid events written").hasSizeGreaterThan(11_000);
        assertThat(report.lost()).as("lost; the report:%n%s", report.table()).isZero();
        assertThat(report.duplicated()).as("duplicated; the report:%n%s", report.table()).isZero();
        assertThat(report.expectedReasons()).as("hostile records and invalid FX rates written").containsKeys(
                "CONTRACT_RECORD_TOO_LARGE", "CONTRACT_FUTURE_EVENT_TIME", "CONTRACT_INVALID_LOCATION", "DUPLICATE_CONFLICT",
                "CONTRACT_INVALID_FX_RATE");
        assertThat(report.reasons()).as("dead letters by reason; the report:%n%s", report.table())
                .isEqualTo(report.expectedReasons());
        assertThat(report.downstream().alerts()).as("alerts raised").isNotEmpty();
        assertThat(report.downstream().enrichedPayments()).as("enriched payments counted").isPositive();
        assertThat(report.downstream().clean()).as("downstream checks; the report:%n%s", report.table()).isTrue();
        assertThat(report.warehouse().rawExpected()).as("input records the warehouse must hold").isGreaterThan(11_000);
        assertThat(report.warehouse().clean()).as("warehouse tables; the report:%n%s", report.table()).isTrue();
        assertThat(report.canaries().written()).as("canary payments written").isEqualTo(5);
        assertThat(report.canaries().leaks()).as("places with clear personal data; the report:%n%s", report.table())
                .isEmpty();
        assertThat(report.canaries().places()).as("the input topic holds the canaries in clear: the search finds them")
                .anyMatch(p -> p.control() && p.found().cardNumbers() > 0 && p.found().emails() > 0);
        assertThat(report.clean()).as("the report:%n%s", report.table()).isTrue();
    }
}
