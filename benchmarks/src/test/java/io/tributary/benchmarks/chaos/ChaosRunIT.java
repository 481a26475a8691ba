package io.tributary.benchmarks.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.localstack.KafkaBroker;
import io.tributary.localstack.SchemaRegistryServer;
import io.tributary.localstack.junit.LocalServersExtension;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chaos run, shortened for {@code mvn verify}: 20,000 payments written over 40 s into
 * transactions-enrichment running in a Flink cluster of OS processes, against a broker in a JVM of
 * its own (the extension's registry), whose TaskManager is
 * SIGKILLed twice (the first time right after a checkpoint completed) and replaced. Every unique
 * valid payment must come out exactly once (enriched or late) and every rejected one as one dead
 * letter, as a read_committed consumer sees them.
 */
@ExtendWith(LocalServersExtension.class)
class ChaosRunIT {

    @Test
    void losesAndDuplicatesNothingWhenTaskManagersAreKilled(SchemaRegistryServer registry, @TempDir Path work)
            throws Exception {
        ChaosRun.Settings settings = new ChaosRun.Settings(20_000, 7, 500, 2, Duration.ZERO, false, Duration.ofSeconds(90), work);

        ChaosReport report;
        try (KafkaBroker kafka = KafkaBroker.startInChildJvm()) {
            report = new ChaosRun(kafka, registry, settings, System.out).run();
        }

        System.out.print(report.table());
        assertThat(report.faults()).as("faults injected").hasSize(2);
        assertThat(report.faults().get(0).detail()).contains("right after checkpoint");
        assertThat(report.expected()).as("unique valid events written").hasSizeGreaterThan(15_000);
        assertThat(report.lost()).as("lost; the report:%n%s", report.table()).isZero();
        assertThat(report.duplicated()).as("duplicated; the report:%n%s", report.table()).isZero();
        assertThat(report.clean()).as("the report:%n%s", report.table()).isTrue();
    }
}
