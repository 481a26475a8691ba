package io.tributary.jobs.backfill;

import io.tributary.events.AccountProfile;
import io.tributary.events.FxRate;
import io.tributary.events.MaskedTransaction;
import io.tributary.events.Merchant;
import io.tributary.jobs.common.Decoded;
import io.tributary.jobs.common.Origin;
import io.tributary.jobs.enrichment.AccountSnapshot;
import io.tributary.jobs.enrichment.EnrichmentSources;
import io.tributary.jobs.common.TransactionRecordDecoder;
import io.tributary.jobs.warehouse.WarehouseCatalog;
import io.tributary.jobs.warehouse.WarehouseTable;
import io.tributary.jobs.warehouse.internal.RowToRecord;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.flink.source.IcebergSource;
import org.apache.iceberg.flink.source.reader.RowDataConverter;
import org.apache.iceberg.types.Types;

/**
 * The enrichment job's four inputs, read from the warehouse instead of Kafka: the raw payments of
 * the range, and the changelogs as they stood at its end, each as of the snapshot the backfill
 * planned with. Rows become the very records the Kafka decoders produce, so the enrichment's own
 * operators run on them unchanged.
 *
 * <p>Accounts whose customers asked to be forgotten stay forgotten: their profile versions are
 * replaced by tombstones, so no payment is enriched with them, not even one from before the request.
 */
final class BackfillSources {
    private BackfillSources() {}

    static EnrichmentSources of(WarehouseCatalog catalog, Tables tables, BackfillRange range,
            Set<String> forgottenAccounts) {
        long to = range.to().toEpochMilli();
        RowToRecord<MaskedTransaction> payments = new RowToRecord<>(tables.raw().schema(), MaskedTransaction.class);
        SerializableFunction<RowData, Origin> origins = origins(tables.raw().schema());
        // Only the columns AccountSnapshot takes are read; the profile's personal data is not in the table.
        RowToRecord<AccountProfile> profiles = new RowToRecord<>(tables.accounts().schema(), AccountProfile.class);
        RowToRecord<Merchant> merchants = new RowToRecord<>(tables.merchants().schema(), Merchant.class);
        RowToRecord<FxRate> rates = new RowToRecord<>(tables.fxRates().schema(), FxRate.class);
        Set<String> forgotten = Set.copyOf(forgottenAccounts);
        return new EnrichmentSources(
                source(catalog, WarehouseTable.RAW_TRANSACTIONS, tables.rawSnapshot(), range.rawFilter(), TransactionRecordDecoder.TYPE,
                        row -> Decoded.value(payments.record(row), origins.apply(row))),
                source(catalog, WarehouseTable.ACCOUNTS, tables.accountsSnapshot(), changedBefore("updated_at", to, true),
                        TypeInformation.of(new TypeHint<Decoded<AccountSnapshot>>() {}), row -> {
                            AccountProfile profile = profiles.record(row);
                            return profile.getUpdatedAt() == null || forgotten.contains(profile.getAccountId())
                                    ? Decoded.tombstone(profile.getAccountId()) : Decoded.value(AccountSnapshot.of(profile));
                        }),
                source(catalog, WarehouseTable.MERCHANTS, tables.merchantsSnapshot(), changedBefore("updated_at", to, true),
                        TypeInformation.of(new TypeHint<Decoded<Merchant>>() {}), row -> {
                            Merchant merchant = merchants.record(row);
                            return merchant.getUpdatedAt() == null ? Decoded.tombstone(merchant.getMerchantId())
                                    : Decoded.value(merchant);
                        }),
                source(catalog, WarehouseTable.FX_RATES, tables.fxRatesSnapshot(), changedBefore("valid_from", to, false),
                        TypeInformation.of(new TypeHint<Decoded<FxRate>>() {}), row -> Decoded.value(rates.record(row))));
    }

    /**
     * The loaded input tables, for their schemas, and the snapshot of each that is read ({@code null}
     * for a table without any): a backfill reads its inputs as of one moment, whatever is committed
     * while it runs.
     */
    record Tables(Table raw, Long rawSnapshot, Table accounts, Long accountsSnapshot, Table merchants,
            Long merchantsSnapshot, Table fxRates, Long fxRatesSnapshot) {
        /** The tables as loaded, each read as of its current snapshot. */
        static Tables asTheyAre(Table raw, Table accounts, Table merchants, Table fxRates) {
            return new Tables(raw, Backfill.snapshotId(raw), accounts, Backfill.snapshotId(accounts), merchants,
                    Backfill.snapshotId(merchants), fxRates, Backfill.snapshotId(fxRates));
        }
    }

    /** The table's rows as of {@code snapshot} (the current ones if it is {@code null}: an empty table). */
    private static <T> IcebergSource<Decoded<T>> source(WarehouseCatalog catalog, WarehouseTable table, Long snapshot,
            Expression filter, TypeInformation<Decoded<T>> type, SerializableFunction<RowData, Decoded<T>> convert) {
        return IcebergSource.forOutputType(new Converter<>(convert, type))
                .tableLoader(catalog.tableLoader(table))
                .useSnapshotId(snapshot)
                .filters(List.of(filter))
                .build();
    }

    /** Where a raw row was read, from its ingest columns: a dead letter of the backfill names the record. */
    private static SerializableFunction<RowData, Origin> origins(Schema raw) {
        List<String> columns = raw.columns().stream().map(Types.NestedField::name).toList();
        int topic = columns.indexOf(WarehouseTable.INGEST_TOPIC);
        int partition = columns.indexOf(WarehouseTable.INGEST_PARTITION);
        int offset = columns.indexOf(WarehouseTable.INGEST_OFFSET);
        int time = columns.indexOf(WarehouseTable.INGEST_TIME);
        return row -> {
            Origin origin = new Origin();
            origin.topic = row.getString(topic).toString();
            origin.partition = row.getInt(partition);
            origin.offset = row.getLong(offset);
            origin.timestamp = row.getTimestamp(time, 6).getMillisecond();
            return origin;
        };
    }

    /** Versions that took effect before the range's end, and tombstones (which have no time) if asked for. */
    private static Expression changedBefore(String column, long toMillis, boolean withTombstones) {
        Expression before = Expressions.lessThan(column, toMillis * 1000L);
        return withTombstones ? Expressions.or(Expressions.isNull(column), before) : before;
    }

    /** A row as the record the Kafka decoder would have produced for it. */
    private record Converter<T>(SerializableFunction<RowData, Decoded<T>> convert, TypeInformation<Decoded<T>> type)
            implements RowDataConverter<Decoded<T>> {
        @Override
        public Decoded<T> apply(RowData row) {
            return convert.apply(row);
        }

        @Override
        public TypeInformation<Decoded<T>> getProducedType() {
            return type;
        }
    }
}
