package io.tributary.jobs.warehouse;

import io.tributary.jobs.common.JobOptions;
import io.tributary.jobs.common.TopicOptions;
import io.tributary.jobs.enrichment.EnrichmentOptions;
import io.tributary.jobs.pii.PiiOptions;
import io.tributary.state.StateOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.CoreOptions;

/** Where the warehouse is, and the options of warehouse-sink, the backfill and table maintenance. */
public final class WarehouseOptions {
    private WarehouseOptions() {}

    /** Which Iceberg catalog tracks the tables. */
    public enum CatalogType {
        /** Metadata files beside the data under the warehouse location: a local folder or HDFS. */
        HADOOP,
        /** An Iceberg REST catalog at {@code tributary.warehouse.catalog-uri}: what object stores need. */
        REST
    }

    public static final ConfigOption<String> LOCATION = ConfigOptions.key("tributary.warehouse.location")
            .stringType()
            .noDefaultValue()
            .withDescription("Root of the warehouse's files, e.g. file:///data/warehouse or s3a://bucket/warehouse.");

    public static final ConfigOption<CatalogType> CATALOG_TYPE = ConfigOptions.key("tributary.warehouse.catalog-type")
            .enumType(CatalogType.class)
            .defaultValue(CatalogType.HADOOP)
            .withDescription("HADOOP (commits by atomic rename: a local folder or HDFS) or REST (an Iceberg REST"
                    + " catalog; use it on object stores, where rename is not atomic).");

    public static final ConfigOption<String> CATALOG_URI = ConfigOptions.key("tributary.warehouse.catalog-uri")
            .stringType()
            .noDefaultValue()
            .withDescription("URI of the REST catalog; required with catalog-type REST.");

    public static final ConfigOption<Map<String, String>> CATALOG_PROPERTIES = ConfigOptions
            .key("tributary.warehouse.catalog-properties")
            .mapType()
            .defaultValue(Map.of())
            .withDescription("More Iceberg catalog properties, e.g. io-impl or credentials settings"
                    + " ('key:value,key:value').");

    public static final ConfigOption<String> CATALOG_OAUTH2_CLIENT_ENV = ConfigOptions
            .key("tributary.warehouse.catalog-oauth2-client-env")
            .stringType()
            .noDefaultValue()
            .withDescription("Environment variable holding the REST catalog's OAuth2 client credentials"
                    + " (client_id:client_secret, Iceberg's 'credential'), read by each process when it opens the"
                    + " catalog, so that they never enter the job graph. Requires an https catalog-uri; set the"
                    + " token endpoint with catalog-properties oauth2-server-uri and the scope with scope.");

    public static final ConfigOption<String> NAMESPACE = ConfigOptions.key("tributary.warehouse.namespace")
            .stringType()
            .defaultValue("tributary")
            .withDescription("Namespace (database) of the tables.");

    public static final ConfigOption<Duration> SNAPSHOT_RETENTION = ConfigOptions
            .key("tributary.warehouse.snapshot-retention")
            .durationType()
            .defaultValue(Duration.ofDays(7))
            .withDescription("expire-snapshots removes snapshots older than this (time travel reaches this far back).");

    public static final ConfigOption<Integer> SNAPSHOTS_KEPT = ConfigOptions.key("tributary.warehouse.snapshots-kept")
            .intType()
            .defaultValue(100)
            .withDescription("expire-snapshots keeps at least this many of the newest snapshots, whatever their age"
                    + " (and always the streaming sink's newest commit, which it looks for after a restart).");

    public static final ConfigOption<Duration> UNUSED_FILE_MIN_AGE = ConfigOptions
            .key("tributary.warehouse.unused-file-min-age")
            .durationType()
            .defaultValue(Duration.ofHours(1))
            .withDescription("gdpr erase deletes the data files that no snapshot uses once they are this old: younger"
                    + " ones may be a running sink's files of a checkpoint not yet committed. 0s with the sink stopped.");

    public static final ConfigOption<Duration> MAX_OUT_OF_ORDERNESS = JobOptions.maxOutOfOrderness("warehouse",
            "warehouse-sink records this watermark of the raw, enriched and alert tables, once committed, as each"
            + " table's tributary.committed-watermark; a backfill waits for it.");

    public static final ConfigOption<Duration> IDLENESS = JobOptions.idleness("warehouse");

    public static final ConfigOption<Integer> BACKFILL_COMMIT_ATTEMPTS = ConfigOptions
            .key("tributary.backfill.commit-attempts")
            .intType()
            .defaultValue(3)
            .withDescription("How many times a backfill recomputes its range when warehouse-sink committed to the"
                    + " range's hours of transactions_enriched after the backfill read them; then it gives up, having"
                    + " replaced nothing.");

    public static final ConfigOption<Boolean> BACKFILL_FORCE_UNMARKED = ConfigOptions
            .key("tributary.backfill.force-unmarked")
            .booleanType()
            .defaultValue(false)
            .withDescription("Backfill although raw_transactions or transactions_enriched records no committed watermark"
                    + " (tables last written by a warehouse-sink from before it recorded one), on the operator's word"
                    + " that the stream is done with the range; logged. A watermark that has not passed the range still"
                    + " refuses. The flag --force-unmarked sets it.");

    /** Every option warehouse-sink reads, for validation at start-up and for {@code --help}. */
    public static List<ConfigOption<?>> sinkOptions() {
        return JobOptions.kafkaJob(PiiOptions.MAX_FUTURE_SKEW, PiiOptions.TOKENIZATION_KEY_ENV, LOCATION, CATALOG_TYPE,
                CATALOG_URI, CATALOG_PROPERTIES, CATALOG_OAUTH2_CLIENT_ENV, NAMESPACE, MAX_OUT_OF_ORDERNESS, IDLENESS,
                TopicOptions.TRANSACTIONS, TopicOptions.ACCOUNTS,
                TopicOptions.MERCHANTS, TopicOptions.FX_RATES, TopicOptions.ENRICHED, TopicOptions.FRAUD_ALERTS);
    }

    /** Every option the backfill reads. */
    public static List<ConfigOption<?>> backfillOptions() {
        return List.of(LOCATION, CATALOG_TYPE, CATALOG_URI, CATALOG_PROPERTIES, CATALOG_OAUTH2_CLIENT_ENV, NAMESPACE,
                EnrichmentOptions.MAX_OUT_OF_ORDERNESS, EnrichmentOptions.IDLENESS, EnrichmentOptions.ALLOWED_LATENESS,
                EnrichmentOptions.ACCOUNT_WAIT, PiiOptions.MAX_FUTURE_SKEW, StateOptions.DEDUP_TTL,
                StateOptions.REFERENCE_HISTORY_TTL, BACKFILL_COMMIT_ATTEMPTS, BACKFILL_FORCE_UNMARKED,
                CoreOptions.DEFAULT_PARALLELISM);
    }

    /** Every option table maintenance reads. */
    public static List<ConfigOption<?>> maintenanceOptions() {
        return List.of(LOCATION, CATALOG_TYPE, CATALOG_URI, CATALOG_PROPERTIES, CATALOG_OAUTH2_CLIENT_ENV, NAMESPACE,
                SNAPSHOT_RETENTION,
                SNAPSHOTS_KEPT);
    }
}
