package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.jobs.metrics.postgres.MetricsSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard's business panels, which read live-metrics' minute rows from PostgreSQL:
 * they query the table the job writes, through the PostgreSQL data source variable (the Prometheus
 * one would show nothing), and only a time range of it by {@code window_start}, the first column
 * of its primary key, so that a panel is a range scan of the index however long the table grows.
 */
class BusinessPanelsTest {
    private static final JsonNode DASHBOARD = Manifests.readJson(DeployModule.DASHBOARD);
    private static final Pattern FROM = Pattern.compile("(?i)\\bFROM\\s+([A-Za-z_][A-Za-z0-9_.]*)");

    @Test
    void showPaymentsDeclinesVolumeAndTheLatestMinuteByCategoryAndCountry() {
        assertThat(sqlPanels()).extracting(p -> p.path("title").asText()).contains(
                "Payments per minute, by merchant category", "Declines per minute, by merchant category",
                "Volume per minute (USD), by merchant category", "Payments per minute, by country",
                "Latest minute, by merchant category and country");
    }

    @Test
    void readOnlyTheMinuteTableThroughThePostgresDataSourceWithinTheTimeRange() {
        assertThat(DASHBOARD.path("templating").path("list").findValuesAsText("name")).contains("postgres");
        for (JsonNode panel : sqlPanels()) {
            String title = panel.path("title").asText();
            assertThat(panel.path("datasource").path("uid").asText()).as(title).isEqualTo("${postgres}");
            for (JsonNode target : panel.path("targets")) {
                String sql = target.path("rawSql").asText();
                Matcher from = FROM.matcher(sql);
                List<String> tables = new ArrayList<>();
                while (from.find()) {
                    tables.add(from.group(1));
                }
                assertThat(tables).as(title).isNotEmpty().containsOnly(MetricsSchema.MINUTE_TABLE);
                assertThat(sql).as(title).contains("$__timeFilter(window_start)");
            }
        }
    }

    private static List<JsonNode> sqlPanels() {
        List<JsonNode> panels = new ArrayList<>();
        MetricNamesCheck.collectPanels(DASHBOARD.path("panels"), panels);
        return panels.stream().filter(p -> p.path("targets").findValue("rawSql") != null).toList();
    }
}
