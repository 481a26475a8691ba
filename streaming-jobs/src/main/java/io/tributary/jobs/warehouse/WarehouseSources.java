package io.tributary.jobs.warehouse;

import io.tributary.events.AccountProfile;
import io.tributary.events.EnrichedTransaction;
import io.tributary.events.FraudAlert;
import io.tributary.events.FxRate;
import io.tributary.events.Merchant;
import io.tributary.jobs.common.ContractRecordDecoder;
import io.tributary.jobs.common.Decoded;
import io.tributary.jobs.common.TransactionRecordDecoder;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.table.data.RowData;
import org.apache.iceberg.Schema;

/**
 * The input of each warehouse table, as rows of the table's current schema, and how the event
 * tables' watermarks trail their event time. {@link #kafka} gives the real ones; a test may give others.
 *
 * @param maxOutOfOrderness how far the watermark of an event table trails the newest event time of a partition
 * @param idleness after how long without records a partition stops holding the watermark back
 */
public record WarehouseSources(Map<WarehouseTable, Source<RowData, ?, ?>> byTable, Duration maxOutOfOrderness,
        Duration idleness) {
    /** Iceberg's timestamps are microseconds: precision 6 in Flink's row. */
    private static final int EVENT_TIME_PRECISION = 6;

    /**
     * The Kafka topics of the settings, each from the configured starting offsets on a start without
     * a checkpoint (by default the group's committed offsets, else the earliest). Unlike the
     * enrichment job, which rebuilds its state from the whole changelogs, the warehouse already holds
     * their history: reading them again from the start would add every version twice.
     *
     * @param schemas each table's current schema (after {@link WarehouseCatalog#createOrEvolveTables})
     */
    public static WarehouseSources kafka(WarehouseSettings s, Map<WarehouseTable, Schema> schemas) {
        String job = WarehouseSinkJob.NAME;
        WarehouseSettings.Topics t = s.topics();
        Map<WarehouseTable, Source<RowData, ?, ?>> sources = new EnumMap<>(WarehouseTable.class);
        sources.put(WarehouseTable.RAW_TRANSACTIONS, source(s, t.transactions(),
                new WarehouseRecordDecoder(new TransactionRecordDecoder(s.kafka().registry(), s.tokenizationKey(),
                        s.maxFutureSkew(), job), WarehouseTable.RAW_TRANSACTIONS,
                        schemas.get(WarehouseTable.RAW_TRANSACTIONS), null)));
        sources.put(WarehouseTable.ACCOUNTS, source(s, t.accounts(),
                decoder(s, AccountProfile.class, WarehouseTable.ACCOUNTS, schemas, "account_id")));
        sources.put(WarehouseTable.MERCHANTS, source(s, t.merchants(),
                decoder(s, Merchant.class, WarehouseTable.MERCHANTS, schemas, "merchant_id")));
        sources.put(WarehouseTable.FX_RATES, source(s, t.fxRates(),
                decoder(s, FxRate.class, WarehouseTable.FX_RATES, schemas, null)));
        sources.put(WarehouseTable.TRANSACTIONS_ENRICHED, source(s, t.enriched(),
                decoder(s, EnrichedTransaction.class, WarehouseTable.TRANSACTIONS_ENRICHED, schemas, null)));
        sources.put(WarehouseTable.FRAUD_ALERTS, source(s, t.alerts(),
                decoder(s, FraudAlert.class, WarehouseTable.FRAUD_ALERTS, schemas, null)));
        return new WarehouseSources(sources, s.maxOutOfOrderness(), s.idleness());
    }

    /**
     * The watermarks of an event table's rows, by their event time: what warehouse-sink records as
     * committed ({@link CommittedWatermark}). The sink writes every row, whatever its lateness; the
     * watermark only says how far in event time the stream has got.
     *
     * @param schema the table's current schema, which the rows follow
     */
    WatermarkStrategy<RowData> watermarks(Schema schema) {
        int eventTime = schema.columns().indexOf(schema.findField(WarehouseTable.EVENT_TIME));
        if (eventTime < 0) {
            throw new IllegalArgumentException("The table's schema has no " + WarehouseTable.EVENT_TIME + " column");
        }
        return WatermarkStrategy.<RowData>forBoundedOutOfOrderness(maxOutOfOrderness)
                .withTimestampAssigner(new EventTimeOfRow(eventTime))
                .withIdleness(idleness);
    }

    /** The event time of a row, in epoch millis; a row without one keeps its Kafka timestamp. */
    private record EventTimeOfRow(int position) implements SerializableTimestampAssigner<RowData> {
        @Override
        public long extractTimestamp(RowData row, long recordTimestamp) {
            return row.isNullAt(position) ? recordTimestamp
                    : row.getTimestamp(position, EVENT_TIME_PRECISION).getMillisecond();
        }
    }

    /**
     * A decoder of a contract's records into rows; personal-data fields are dropped on the way
     * ({@link io.tributary.jobs.warehouse.internal.RecordToRow}), inside the source.
     */
    private static <T extends SpecificRecord> WarehouseRecordDecoder decoder(WarehouseSettings s, Class<T> contract,
            WarehouseTable table, Map<WarehouseTable, Schema> schemas, String keyColumn) {
        @SuppressWarnings("unchecked")
        TypeInformation<Decoded<T>> type = (TypeInformation<Decoded<T>>) (TypeInformation<?>) TypeInformation.of(Decoded.class);
        ContractRecordDecoder.Builder<T, T> decoder = table.isChangelog() ? ContractRecordDecoder.forChangelog(contract, type)
                : ContractRecordDecoder.forEvents(contract, type);
        return new WarehouseRecordDecoder(decoder.registry(s.kafka().registry()).job(WarehouseSinkJob.NAME).build(),
                table, schemas.get(table), keyColumn);
    }

    private static Source<RowData, ?, ?> source(WarehouseSettings s, String topic, WarehouseRecordDecoder decoder) {
        return s.kafka().source(topic, decoder);
    }
}
