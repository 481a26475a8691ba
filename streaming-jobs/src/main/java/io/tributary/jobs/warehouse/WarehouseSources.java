package io.tributary.jobs.warehouse;

import io.tributary.events.AccountProfile;
import io.tributary.events.EnrichedTransaction;
import io.tributary.events.FraudAlert;
import io.tributary.events.FxRate;
import io.tributary.events.Merchant;
import io.tributary.jobs.common.ContractRecordDecoder;
import io.tributary.jobs.common.Decoded;
import io.tributary.jobs.common.TransactionRecordDecoder;
import java.util.EnumMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.table.data.RowData;
import org.apache.iceberg.Schema;

/**
 * The input of each warehouse table, as rows of the table's current schema. {@link #kafka} gives the
 * real ones; a test may give others.
 */
public record WarehouseSources(Map<WarehouseTable, Source<RowData, ?, ?>> byTable) {

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
        return new WarehouseSources(sources);
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
