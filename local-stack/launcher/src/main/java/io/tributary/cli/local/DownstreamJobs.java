package io.tributary.cli.local;

import io.tributary.dashboard.DashboardSettings;
import io.tributary.events.FraudRule;
import io.tributary.events.RuleType;
import io.tributary.events.Severity;
import io.tributary.jobs.fraud.FraudDetectionJob;
import io.tributary.jobs.fraud.FraudOptions;
import io.tributary.jobs.maintenance.WarehouseQuery;
import io.tributary.jobs.metrics.LiveMetricsJob;
import io.tributary.jobs.metrics.MetricsOptions;
import io.tributary.jobs.warehouse.WarehouseCatalog;
import io.tributary.jobs.warehouse.WarehouseOptions;
import io.tributary.jobs.warehouse.WarehouseSinkJob;
import io.tributary.localstack.LocalServers;
import io.tributary.localstack.PostgresServer;
import io.tributary.localstack.RedisServer;
import io.tributary.localstack.pipeline.LocalPipeline;
import io.tributary.localstack.pipeline.TrafficWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;

/**
 * The local run's fraud-detection, live-metrics and warehouse-sink: Redis and PostgreSQL started,
 * the rules published, the three jobs running in-process beside the enrichment job, and what they
 * wrote read back for the console.
 */
final class DownstreamJobs {
    private static final String DATABASE = "tributary_local";

    private final Path localDirectory;
    private final DataSource dashboards;
    private final DashboardSettings.Postgres dashboardDatabase;
    private final TrafficWriter rules;
    private JobClient fraud;
    private JobClient metrics;
    private JobClient warehouseSink;
    private final WarehouseCatalog warehouse;
    private final InProcessJobs jobs;

    private DownstreamJobs(LocalPipeline pipeline, Path localDirectory, InProcessJobs jobs, PostgresServer postgres) {
        this.jobs = jobs;
        this.localDirectory = localDirectory;
        this.dashboards = postgres.createDatabase(DATABASE);
        this.dashboardDatabase = new DashboardSettings.Postgres(postgres.jdbcUrl(DATABASE), postgres.user(), null);
        this.rules = pipeline.trafficWriter();
        this.warehouse = WarehouseCatalog.local(localDirectory.resolve("warehouse").toAbsolutePath());
    }

    /** Starts Redis and PostgreSQL, publishes the first rules and starts the three jobs. */
    static DownstreamJobs start(LocalPipeline pipeline, Path localDirectory, InProcessJobs jobs, PrintWriter out)
            throws Exception {
        RedisServer redis = LocalServers.redis();
        PostgresServer postgres = LocalServers.postgres();
        out.printf("Redis      %s%nPostgreSQL %s%n", redis.uri(), postgres.jdbcUrl(DATABASE));
        DownstreamJobs downstream = new DownstreamJobs(pipeline, localDirectory, jobs, postgres);
        Instant now = Instant.EPOCH;
        // A card paying six times within a second is card testing: the generated accounts pay once a minute at most.
        downstream.publish(rule("burst", 1, RuleType.VELOCITY, now, "Card testing: at least 6 payments of a card within 1 s")
                .setMinCount(6).setWindowSeconds(1L).build(), out);
        downstream.publish(rule("travel", 1, RuleType.IMPOSSIBLE_TRAVEL, now, "Two card-present payments faster than a plane")
                .setMaxSpeedKmh(1000.0).build(), out);
        downstream.publish(rule("newdev", 1, RuleType.NEW_DEVICE_HIGH_AMOUNT, now, "5,000 dollars or more on a new device")
                .setMinAmountUsd(5000.0).build(), out);
        downstream.startFraud(redis, out);
        downstream.startMetrics(postgres, out);
        downstream.startWarehouse(out);
        return downstream;
    }

    /** The database of live-metrics' minute rows, as the dashboard reads it. */
    DashboardSettings.Postgres dashboardDatabase() {
        return dashboardDatabase;
    }

    /** Tightens the card-testing rule for the payments from {@code from} on, while the jobs run. */
    void tightenBurstRule(Instant from, PrintWriter out) {
        publish(rule("burst", 2, RuleType.VELOCITY, from, "Card testing: at least 5 payments of a card within 1 s")
                .setMinCount(5).setWindowSeconds(1L).build(), out);
    }

    private void publish(FraudRule rule, PrintWriter out) {
        rules.writeRule(rule);
        rules.flush();
        out.printf("Rule %s v%d (%s, from %s): %s%n", rule.getRuleId(), rule.getVersion(), rule.getType(),
                rule.getEffectiveFrom().equals(Instant.EPOCH) ? "the start" : rule.getEffectiveFrom(),
                rule.getDescription());
        out.flush();
    }

    private static FraudRule.Builder rule(String id, int version, RuleType type, Instant from, String description) {
        return FraudRule.newBuilder().setRuleId(id).setVersion(version).setEnabled(true).setType(type)
                .setSeverity(Severity.HIGH).setEffectiveFrom(from).setDescription(description);
    }

    private void startFraud(RedisServer redis, PrintWriter out) throws Exception {
        Configuration options = jobs.options("tributary-local-" + FraudDetectionJob.NAME, 1);
        options.set(FraudOptions.REDIS_HOST, redis.host());
        options.set(FraudOptions.REDIS_PORT, redis.port());
        var started = jobs.start(new FraudDetectionJob(), options);
        fraud = started.client();
        out.printf("Started %s (job %s): %s.%n", FraudDetectionJob.NAME, fraud.getJobID(), started.prepared().summary());
    }

    private void startMetrics(PostgresServer postgres, PrintWriter out) throws Exception {
        Configuration options = jobs.options("tributary-local-" + LiveMetricsJob.NAME, 1);
        options.set(MetricsOptions.POSTGRES_URL, postgres.jdbcUrl(DATABASE));
        options.set(MetricsOptions.POSTGRES_USER, postgres.user());
        var started = jobs.start(new LiveMetricsJob(), options);
        metrics = started.client();
        out.printf("Started %s (job %s): %s.%n", LiveMetricsJob.NAME, metrics.getJobID(), started.prepared().summary());
    }

    private void startWarehouse(PrintWriter out) throws Exception {
        Configuration options = jobs.options("tributary-local-" + WarehouseSinkJob.NAME, 1);
        options.set(WarehouseOptions.LOCATION, warehouse.location());
        var started = jobs.start(new WarehouseSinkJob(), options);
        warehouseSink = started.client();
        out.printf("Started %s (job %s): %s.%n", WarehouseSinkJob.NAME, warehouseSink.getJobID(),
                started.prepared().summary());
    }

    /** The rows of each warehouse table, counted by DuckDB, and how to query them. */
    void warehouseSummary(PrintWriter out) {
        out.println("Warehouse (Iceberg, counted with DuckDB over each table's live files):");
        StringWriter table = new StringWriter();
        try {
            WarehouseQuery.run(warehouse, """
                    SELECT 'raw_transactions' AS "table", count(*) AS "rows" FROM raw_transactions
                    UNION ALL SELECT 'transactions_enriched', count(*) FROM transactions_enriched
                    UNION ALL SELECT 'fraud_alerts', count(*) FROM fraud_alerts
                    UNION ALL SELECT 'accounts', count(*) FROM accounts
                    UNION ALL SELECT 'merchants', count(*) FROM merchants
                    UNION ALL SELECT 'fx_rates', count(*) FROM fx_rates""", WarehouseQuery.Format.TABLE,
                    new PrintWriter(table));
            table.toString().lines().forEach(line -> out.println("  " + line));
        } catch (RuntimeException e) {
            out.println("  (the tables could not be read: " + e.getMessage() + ")");
        }
        out.printf("Query them: ./tributary warehouse query -D %s=%s \"SELECT ...\"%n", WarehouseOptions.LOCATION.key(),
                warehouse.location());
    }

    /** The busiest rows of the latest minute written, as the dashboard would show them. */
    List<String> latestMinute(int limit) {
        List<String> rows = new ArrayList<>();
        try (Connection connection = dashboards.getConnection(); Statement statement = connection.createStatement();
                ResultSet r = statement.executeQuery("""
                        SELECT window_start, merchant_category, country, payments, amount_usd, declines, alerts
                        FROM live_metrics_minute
                        WHERE window_start = (SELECT max(window_start) FROM live_metrics_minute)
                        ORDER BY payments DESC LIMIT\s""" + limit)) {
            while (r.next()) {
                rows.add(String.format("%s  %-4s %s  %5d payments  %10.2f USD  %3d declines  %2d alerts",
                        r.getTimestamp(1).toInstant(), r.getString(2), r.getString(3), r.getLong(4),
                        r.getBigDecimal(5), r.getLong(6), r.getLong(7)));
            }
        } catch (Exception e) {
            rows.add("(the minute rows could not be read: " + e.getMessage() + ")");
        }
        return rows;
    }

    /**
     * Stops the three downstream jobs with a savepoint (which also commits the last warehouse files), keeping what they hold (payments not yet passed by the
     * watermark, open minutes) for a restart.
     */
    void stop() throws Exception {
        String savepoints = localDirectory.resolve("savepoints").toAbsolutePath().toUri().toString();
        for (JobClient job : List.of(fraud, metrics, warehouseSink)) {
            job.stopWithSavepoint(false, savepoints, SavepointFormatType.CANONICAL).get(2, TimeUnit.MINUTES);
        }
        rules.close();
    }
}
