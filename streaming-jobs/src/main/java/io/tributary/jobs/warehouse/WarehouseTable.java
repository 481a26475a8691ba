package io.tributary.jobs.warehouse;

import io.tributary.events.AccountProfile;
import io.tributary.events.EnrichedTransaction;
import io.tributary.events.FraudAlert;
import io.tributary.events.FxRate;
import io.tributary.events.MaskedTransaction;
import io.tributary.events.Merchant;
import io.tributary.jobs.warehouse.internal.AvroToIceberg;
import org.apache.avro.Schema;
import org.apache.iceberg.PartitionSpec;

/**
 * The tables of the warehouse, each derived from the Avro contract of what it holds. Event tables
 * are partitioned by the hour of their event time (which names the date too, e.g.
 * {@code event_time_hour=2026-11-27-14}); the changelog tables are small and not partitioned.
 *
 * <p>Tables that record what arrived on a topic carry its ingest metadata ({@link #INGEST_COLUMNS}):
 * with them every row names the Kafka record it came from, which makes "once" checkable. Changelog
 * tables keep a row per version, with {@code deleted} for a tombstone, so that a backfill can rebuild
 * the dimensions as of any time. Personal-data fields of a contract (those with a {@code pii}
 * property) never become columns.
 */
public enum WarehouseTable {
    /** Payments as received, masked: what the backfill recomputes the enriched table from. */
    RAW_TRANSACTIONS("raw_transactions", MaskedTransaction.getClassSchema(), Kind.EVENTS, true),
    /** Every version of every account profile, without the personal data. */
    ACCOUNTS("accounts", AccountProfile.getClassSchema(), Kind.CHANGELOG, true),
    /** Every version of every merchant. */
    MERCHANTS("merchants", Merchant.getClassSchema(), Kind.CHANGELOG, true),
    /** Every FX rate, each valid from its {@code valid_from}. */
    FX_RATES("fx_rates", FxRate.getClassSchema(), Kind.CHANGELOG, true),
    /** The enrichment's output; a backfill replaces its partitions. */
    TRANSACTIONS_ENRICHED("transactions_enriched", EnrichedTransaction.getClassSchema(), Kind.EVENTS, false),
    /** fraud-detection's alerts. */
    FRAUD_ALERTS("fraud_alerts", FraudAlert.getClassSchema(), Kind.EVENTS, false);

    /** The Kafka record a row came from: topic, partition, offset and the record's timestamp. */
    public static final String INGEST_TOPIC = "ingest_topic";
    public static final String INGEST_PARTITION = "ingest_partition";
    public static final String INGEST_OFFSET = "ingest_offset";
    public static final String INGEST_TIME = "ingest_time";
    /** On changelog tables: the row records a tombstone, the key's removal. */
    public static final String DELETED = "deleted";
    /** The event-time column that event tables are partitioned by. */
    public static final String EVENT_TIME = "event_time";

    enum Kind { EVENTS, CHANGELOG }

    private final String tableName;
    private final Schema contract;
    private final Kind kind;
    private final boolean ingestMetadata;

    WarehouseTable(String tableName, Schema contract, Kind kind, boolean ingestMetadata) {
        this.tableName = tableName;
        this.contract = contract;
        this.kind = kind;
        this.ingestMetadata = ingestMetadata;
    }

    /** The table's name in the warehouse namespace. */
    public String tableName() {
        return tableName;
    }

    /** The Avro contract the table's columns come from. */
    public Schema contract() {
        return contract;
    }

    public boolean isChangelog() {
        return kind == Kind.CHANGELOG;
    }

    public boolean hasIngestMetadata() {
        return ingestMetadata;
    }

    /**
     * The table's schema as the current contract defines it. On changelog tables every contract
     * column is optional, since a tombstone row has only its key.
     */
    public org.apache.iceberg.Schema schema() {
        return AvroToIceberg.tableSchema(contract, isChangelog(), isChangelog(), ingestMetadata);
    }

    /** Hour of the event time for event tables, none for changelog tables. */
    public PartitionSpec partitionSpec(org.apache.iceberg.Schema schema) {
        return isChangelog() ? PartitionSpec.unpartitioned()
                : PartitionSpec.builderFor(schema).hour(EVENT_TIME).build();
    }
}
