package io.tributary.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.localstack.junit.LocalServersExtension;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.ExtendWith;

/** The README's run command, shortened: it runs the job on generated traffic and accounts for every record. */
@ExtendWith(LocalServersExtension.class)
class LocalCommandIT {
    @Test
    void runsTheEnrichmentJobAndAccountsForEveryRecord(@TempDir Path dir) {
        LauncherRun run = LauncherRun.of("local", "--duration", "30s", "--rate", "300", "--seed", "11", "--local-dir",
                dir.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out())
                .contains("Registered 10 subjects, created 10 topics.")
                .contains("Wrote 100000 account profiles")
                .contains("Started transactions-enrichment")
                .contains("Started fraud-detection")
                .contains("Started live-metrics")
                .contains("Started warehouse-sink")
                .containsPattern("Dashboard  http://127\\.0\\.0\\.1:\\d+/")
                .containsPattern("raw_transactions +\\| +[1-9]\\d+")
                .containsPattern("transactions_enriched +\\| +[1-9]\\d+")
                .contains("Rule burst v2 (VELOCITY, from 20")
                .containsPattern("\\| alerts [1-9]\\d* \\{")
                .contains("Alert latency")
                .containsPattern("Latest minute in PostgreSQL \\(live_metrics_minute\\):\\R  20\\S+ +\\d{4} [A-Z]{2} +[1-9]")
                .contains("Draining the job")
                .containsPattern("dead letters [1-9]\\d* \\{.*DECODE_")
                .containsPattern("Every record accounted for: yes \\(written [1-9]\\d+ = enriched [1-9]\\d+ \\+ late \\d+"
                        + " \\+ dead letters [1-9]\\d* \\+ duplicates dropped [1-9]\\d*\\)");
        // The alerts are the fraud patterns' (one in a thousand payments), not the clean traffic's.
        Matcher last = Pattern.compile("\\| enriched (\\d+) .*\\| alerts (\\d+) ").matcher(run.out());
        long enriched = 0;
        long alerts = 0;
        while (last.find()) {
            enriched = Long.parseLong(last.group(1));
            alerts = Long.parseLong(last.group(2));
        }
        assertThat(alerts).as("alerts for %d enriched payments", enriched).isPositive().isLessThan(enriched / 100);
    }
}
