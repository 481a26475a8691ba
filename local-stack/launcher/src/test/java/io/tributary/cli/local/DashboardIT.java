package io.tributary.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.cli.Tributary;
import io.tributary.contracts.TopicContract;
import io.tributary.events.EnrichedTransaction;
import io.tributary.events.Evidence;
import io.tributary.events.FraudAlert;
import io.tributary.events.PaymentChannel;
import io.tributary.events.RuleType;
import io.tributary.events.Severity;
import io.tributary.events.TransactionStatus;
import io.tributary.jobs.metrics.LiveMetricsJob;
import io.tributary.jobs.pii.TokenizationKey;
import io.tributary.localstack.KafkaBroker;
import io.tributary.localstack.PostgresServer;
import io.tributary.localstack.SchemaRegistryServer;
import io.tributary.localstack.internal.FreePorts;
import io.tributary.localstack.junit.LocalServersExtension;
import io.tributary.localstack.pipeline.LocalPipeline;
import io.tributary.localstack.pipeline.TributaryTopics;
import io.tributary.serde.ConfluentAvroSerializationSchema;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.TreeSet;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * {@code tributary dashboard} in a real browser: live-metrics, started as {@code tributary local}
 * starts it, turns generated enriched payments and alerts into minute rows in a real PostgreSQL;
 * the command serves the page; headless Chromium (the operating system's, driven by its
 * chromedriver) loads it; the latest minute's table and the charts' totals equal what PostgreSQL
 * holds; a new alert produced to Kafka appears on the page within seconds, without a reload; the
 * job's checkpoint age, its group's lag and the DLQ rate are there. Screenshots at laptop and phone
 * size go to {@code target/dashboard-it/}. Skips where chromium or chromedriver is not installed.
 */
@ExtendWith(LocalServersExtension.class)
class DashboardIT {
    private static final Path CHROMIUM = Path.of(System.getProperty("tributary.it.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("tributary.it.chromedriver",
            "/usr/bin/chromedriver"));
    private static final String PREFIX = "dashboardit.";
    private static final String DATABASE = "dashboard_it";
    private static final String[] CATEGORIES = {"5411", "5812", "5999", "4111"};
    private static final String[] COUNTRIES = {"DE", "FR", "ES"};
    private static final Duration IDLENESS = Duration.ofSeconds(2);

    @Test
    void showsWhatPostgresHoldsAndANewAlertWithoutAReload(KafkaBroker kafka, SchemaRegistryServer registry,
            PostgresServer postgres, @TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "no browser: " + CHROMIUM + " or " + CHROMEDRIVER + " missing (apt-get install chromium chromium-driver)");
        LocalPipeline pipeline = LocalPipeline.prepare(kafka, registry);
        kafka.createTopics(TributaryTopics.newTopics(PREFIX));
        DataSource database = postgres.createDatabase(DATABASE);
        InProcessJobs jobs = new InProcessJobs(pipeline, dir, Duration.ofSeconds(1), randomKey());
        JobClient metrics = startLiveMetrics(jobs, postgres);

        Thread command = null;
        ChromeDriver browser = null;
        try (Topics topics = new Topics(kafka.bootstrapServers(), pipeline)) {
            Traffic traffic = topics.writeMinutesOfTraffic(Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(6)), 6);
            // The last minutes close once a later payment moves the watermark, after the other
            // partitions, quiet by then, have gone idle.
            Thread.sleep(IDLENESS.multipliedBy(2).toMillis());
            topics.payment(newPayment("tail", Instant.now().plus(Duration.ofMinutes(2)), new Random(1)));
            topics.flush();
            awaitTotals(database, traffic);

            int port = FreePorts.pick();
            StringWriter out = new StringWriter();
            command = runDashboard(out, "dashboard", "--port", Integer.toString(port), "--refresh", "1s",
                    "--postgres-url", postgres.jdbcUrl(DATABASE), "--postgres-user", postgres.user(),
                    "--bootstrap-servers", kafka.bootstrapServers(), "--registry-url", registry.url(),
                    "--flink-rest-url", jobs.restEndpoints().get(0).toString(),
                    "--alerts-topic", PREFIX + TopicContract.FRAUD_ALERTS.topic(),
                    "--dead-letters-topic", PREFIX + TopicContract.DEAD_LETTERS.topic(),
                    "--late-topic", PREFIX + TopicContract.LATE_TRANSACTIONS.topic());

            awaitServing(out, command);
            browser = chromium(dir);
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
            browser.get("http://127.0.0.1:" + port + "/");
            wait.until(b -> b.findElement(By.id("latest-minute")).getDomAttribute("data-minute") != null
                    && !b.findElement(By.id("latest-minute")).getDomAttribute("data-minute").isEmpty()
                    && !b.findElements(By.cssSelector("#checkpoints tbody tr")).isEmpty());
            assertThat(out.toString()).startsWith("Dashboard  http://127.0.0.1:" + port + "/ (Ctrl-C stops it)");

            LatestMinute shown = latestMinute(browser);
            assertThat(Instant.ofEpochMilli(shown.minute())).isEqualTo(newestMinute(database));
            assertThat(shown.rows()).isEqualTo(postgresRows(database, shown.minute()));
            assertThat(chartTotal(browser, "chart-payments")).isEqualTo(totalPayments(database));
            assertThat(browser.findElement(By.cssSelector("#checkpoints tr[data-job='live-metrics'] .age")).getText())
                    .matches("\\d+(\\.\\d)? s ago");
            ChromeDriver page = browser;
            new WebDriverWait(page, Duration.ofSeconds(10)).withMessage(() -> "no lag of the job's group; the page's"
                    + " problems: " + page.findElement(By.id("problems")).getDomProperty("textContent") + "; lag table: "
                    + page.findElement(By.id("consumer-lag")).getText())
                    .until(b -> !b.findElements(By.cssSelector("#consumer-lag tr[data-group='" + PREFIX + "metrics']")).isEmpty());
            assertThat(browser.findElements(By.cssSelector("#rates tr[data-topic='" + PREFIX
                    + TopicContract.DEAD_LETTERS.topic() + "']"))).hasSize(1);
            browser.manage().window().setSize(new Dimension(1366, 1600));
            screenshot(browser, "laptop");

            ((JavascriptExecutor) browser).executeScript("window.notReloaded = true;");
            String alertId = UUID.randomUUID().toString();
            topics.alert(newAlert(alertId, traffic.payments().get(traffic.payments().size() - 1)));
            topics.flush();
            new WebDriverWait(browser, Duration.ofSeconds(10)).until(
                    b -> !b.findElements(By.cssSelector("#latest-alerts tr[data-alert-id='" + alertId + "']")).isEmpty());
            assertThat(((JavascriptExecutor) browser).executeScript("return window.notReloaded === true;")).isEqualTo(true);
            assertThat(browser.findElement(By.cssSelector("#latest-alerts tr[data-alert-id='" + alertId + "']")).getText())
                    .contains("dashboard-it v3").contains("card.count_1s 9 (limit 5)").doesNotContain("acc-");
            assertThat(browser.findElement(By.cssSelector("#alerts-by-rule tr[data-rule='dashboard-it v3'] .alerts")).getText())
                    .isEqualTo("1");

            // A phone, the whole page: one column, nothing wider than the screen.
            browser.manage().window().setSize(new Dimension(412, 3200));
            new WebDriverWait(browser, Duration.ofSeconds(5)).until(b -> ((Number) ((JavascriptExecutor) b).executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth;")).intValue() <= 0);
            screenshot(browser, "phone");
        } finally {
            if (browser != null) {
                browser.quit();
            }
            if (command != null) {
                command.interrupt();
                command.join(15_000);
            }
            metrics.cancel().get();
        }
    }

    private static JobClient startLiveMetrics(InProcessJobs jobs, PostgresServer postgres) throws Exception {
        Configuration options = jobs.options(PREFIX + "metrics", 2);
        options.setString("tributary.kafka.starting-offsets", "EARLIEST");
        options.setString("tributary.metrics.transactional-id-prefix", PREFIX + "metrics");
        options.setString("tributary.metrics.idleness", IDLENESS.toSeconds() + " s");
        options.setString("tributary.topics.enriched", PREFIX + TopicContract.ENRICHED_TRANSACTIONS.topic());
        options.setString("tributary.topics.fraud-alerts", PREFIX + TopicContract.FRAUD_ALERTS.topic());
        options.setString("tributary.topics.dead-letters", PREFIX + TopicContract.DEAD_LETTERS.topic());
        options.setString("tributary.postgres.url", postgres.jdbcUrl(DATABASE));
        options.setString("tributary.postgres.user", postgres.user());
        return jobs.start(new LiveMetricsJob(), options).client();
    }

    /** Runs {@code tributary dashboard} in-process, on a thread that an interrupt stops. */
    private static Thread runDashboard(StringWriter out, String... args) {
        Thread thread = new Thread(() -> {
            var cli = Tributary.commandLine(new DashboardCommand());
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(out, true));
            cli.execute(args);
        }, "dashboard-it-command");
        thread.start();
        return thread;
    }

    /** Waits for the command's line with the URL; a command that ended instead fails the test with its output. */
    private static void awaitServing(StringWriter out, Thread command) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!out.toString().contains("Dashboard  http")) {
            assertThat(command.isAlive() && System.nanoTime() < deadline).as("tributary dashboard serving; it printed: %s",
                    out).isTrue();
            Thread.sleep(100);
        }
    }

    private static ChromeDriver chromium(Path dir) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // No network but this machine's: without the background flags Chromium keeps calling out.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + dir.resolve("chromium"), "--window-size=1366,900");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /**
     * The latest minute and its table as the page shows them, read in one script: the page redraws
     * every refresh, so rows found one call earlier may be gone. Each row: category, country,
     * payments, declines, USD, alerts, counts without the viewer's thousands separators.
     */
    @SuppressWarnings("unchecked")
    private static LatestMinute latestMinute(ChromeDriver browser) {
        List<String> cells = (List<String>) ((JavascriptExecutor) browser).executeScript("""
                return [document.getElementById('latest-minute').dataset.minute].concat(
                    Array.from(document.querySelectorAll('#latest-minute-table tbody tr')).map(tr =>
                        [tr.dataset.category, tr.dataset.country].concat(
                            ['payments', 'declines', 'amount-usd', 'alerts'].map(c => tr.querySelector('.' + c).textContent))
                        .join(' ')));""");
        List<String> rows = new ArrayList<>(cells.subList(1, cells.size()).stream().map(row -> {
            String[] c = row.split(" ");
            return String.join(" ", c[0], c[1], c[2].replaceAll("[^0-9]", ""), c[3].replaceAll("[^0-9]", ""), c[4],
                    c[5].replaceAll("[^0-9]", ""));
        }).toList());
        rows.sort(null);
        return new LatestMinute(Long.parseLong(cells.get(0)), rows);
    }

    record LatestMinute(long minute, List<String> rows) {}

    private static long chartTotal(ChromeDriver browser, String chart) {
        Object total = ((JavascriptExecutor) browser).executeScript("return echarts.getInstanceByDom("
                + "document.getElementById(arguments[0])).getOption().series"
                + ".flatMap(s => s.data).reduce((a, b) => a + b, 0);", chart);
        return ((Number) total).longValue();
    }

    private static List<String> postgresRows(DataSource database, long minute) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = database.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT merchant_category, country, payments, declines, round(amount_usd, 2),"
                        + " alerts FROM live_metrics_minute WHERE window_start = to_timestamp(" + minute / 1000 + ")")) {
            while (r.next()) {
                rows.add(String.join(" ", r.getString(1), r.getString(2), Long.toString(r.getLong(3)),
                        Long.toString(r.getLong(4)), r.getBigDecimal(5).toPlainString(), Long.toString(r.getLong(6))));
            }
        }
        rows.sort(null);
        assertThat(rows).isNotEmpty();
        return rows;
    }

    private static Instant newestMinute(DataSource database) throws Exception {
        try (Connection c = database.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT max(window_start) FROM live_metrics_minute")) {
            r.next();
            return r.getTimestamp(1).toInstant();
        }
    }

    private static long totalPayments(DataSource database) throws Exception {
        return sum(database, "payments");
    }

    private static long sum(DataSource database, String column) throws Exception {
        try (Connection c = database.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT coalesce(sum(" + column + "), 0) FROM live_metrics_minute")) {
            r.next();
            return r.getLong(1);
        }
    }

    /** Waits until the rows count every payment and alert written (the tail's minute stays open). */
    private static void awaitTotals(DataSource database, Traffic traffic) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (sum(database, "payments") < traffic.payments().size() || sum(database, "alerts") < traffic.alerts()) {
            assertThat(System.nanoTime()).as("minute rows counting %d payments and %d alerts", traffic.payments().size(),
                    traffic.alerts()).isLessThan(deadline);
            Thread.sleep(500);
        }
        assertThat(sum(database, "payments")).isEqualTo(traffic.payments().size());
        assertThat(sum(database, "alerts")).isEqualTo(traffic.alerts());
    }

    private static void screenshot(ChromeDriver browser, String name) throws Exception {
        Path target = Path.of("target", "dashboard-it");
        Files.createDirectories(target);
        Files.write(target.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    private static TokenizationKey randomKey() {
        byte[] key = new byte[32];
        new Random().nextBytes(key);
        return TokenizationKey.fromBase64(Base64.getEncoder().encodeToString(key));
    }

    static EnrichedTransaction newPayment(String id, Instant time, Random random) {
        EnrichedTransaction e = new EnrichedTransaction();
        String usd = (1 + random.nextInt(50_000)) / 100 + "." + String.format("%02d", random.nextInt(100));
        e.setEventId(UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8)));
        e.setTransactionId("tx-" + id);
        e.setAccountId("acc-" + random.nextInt(50));
        e.setCardToken("card-" + random.nextInt(80));
        e.setCardLast4("4242");
        e.setMerchantId("m-" + random.nextInt(20));
        e.setAmount(new BigDecimal(usd).setScale(4));
        e.setCurrency("USD");
        e.setAmountUsd(new BigDecimal(usd).setScale(4));
        e.setFxRateKnown(true);
        e.setEventTime(time);
        e.setStatus(random.nextInt(10) == 0 ? TransactionStatus.DECLINED : TransactionStatus.AUTHORIZED);
        e.setChannel(PaymentChannel.POS);
        e.setCountry(COUNTRIES[random.nextInt(COUNTRIES.length)]);
        e.setAccountKnown(true);
        e.setMerchantKnown(true);
        e.setMerchantCategoryCode(CATEGORIES[random.nextInt(CATEGORIES.length)]);
        return e;
    }

    static FraudAlert newAlert(String alertId, EnrichedTransaction payment) {
        return newAlert(UUID.fromString(alertId), "dashboard-it", 3, payment);
    }

    private static FraudAlert newAlert(UUID alertId, String rule, int version, EnrichedTransaction payment) {
        return FraudAlert.newBuilder().setAlertId(alertId).setRuleId(rule).setRuleVersion(version)
                .setRuleType(RuleType.VELOCITY).setSeverity(Severity.HIGH).setTransactionId(payment.getTransactionId())
                .setEventId(payment.getEventId()).setAccountId(payment.getAccountId()).setCardToken(payment.getCardToken())
                .setEventTime(payment.getEventTime()).setDetectedAt(Instant.now())
                .setEvidence(List.of(new Evidence("card.count_1s", 9.0, 5.0, null))).build();
    }

    /** What was written: the payments, and how many of them an alert was raised for. */
    record Traffic(List<EnrichedTransaction> payments, long alerts) {}

    /** The test's producer onto the prefixed enriched and alert topics, keyed and framed as the contracts say. */
    private static final class Topics implements AutoCloseable {
        private final KafkaProducer<byte[], byte[]> producer;
        private final ConfluentAvroSerializationSchema<EnrichedTransaction> payments;
        private final ConfluentAvroSerializationSchema<FraudAlert> alerts;

        Topics(String bootstrapServers, LocalPipeline pipeline) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
            payments = ConfluentAvroSerializationSchema.forSpecific(EnrichedTransaction.class)
                    .topic(TopicContract.ENRICHED_TRANSACTIONS).registry(pipeline.registryConfig()).build();
            alerts = ConfluentAvroSerializationSchema.forSpecific(FraudAlert.class).topic(TopicContract.FRAUD_ALERTS)
                    .registry(pipeline.registryConfig()).build();
        }

        /** A payment every 250-750 ms of event time over {@code minutes} whole minutes, and an alert for about one in 20. */
        Traffic writeMinutesOfTraffic(Instant start, int minutes) {
            Random random = new Random(15);
            List<EnrichedTransaction> written = new ArrayList<>();
            long alerts = 0;
            Instant end = start.plus(Duration.ofMinutes(minutes));
            for (Instant t = start; t.isBefore(end); t = t.plusMillis(250 + random.nextInt(500))) {
                EnrichedTransaction p = newPayment("p" + t.toEpochMilli(), t, random);
                payment(p);
                written.add(p);
                if (random.nextInt(20) == 0) {
                    alert(newAlert(UUID.randomUUID(), "burst", 1 + random.nextInt(2), p));
                    alerts++;
                }
            }
            flush();
            return new Traffic(written, alerts);
        }

        void payment(EnrichedTransaction p) {
            producer.send(new ProducerRecord<>(PREFIX + TopicContract.ENRICHED_TRANSACTIONS.topic(),
                    p.getAccountId().getBytes(StandardCharsets.UTF_8), payments.serialize(p)));
        }

        void alert(FraudAlert a) {
            producer.send(new ProducerRecord<>(PREFIX + TopicContract.FRAUD_ALERTS.topic(),
                    a.getCardToken().getBytes(StandardCharsets.UTF_8), alerts.serialize(a)));
        }

        void flush() {
            producer.flush();
        }

        @Override
        public void close() {
            producer.close();
        }
    }
}
