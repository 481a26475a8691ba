package io.tributary.jobs.warehouse;

import io.tributary.events.AccountProfile;
import io.tributary.events.FxRate;
import io.tributary.events.MaskedTransaction;
import io.tributary.events.Merchant;
import io.tributary.jobs.common.Decoded;
import io.tributary.jobs.enrichment.AccountSnapshot;
import io.tributary.jobs.enrichment.EnrichmentSources;
import io.tributary.jobs.enrichment.TransactionRecordDecoder;
import io.tributary.jobs.warehouse.internal.RowToRecord;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.table.data.RowData;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.flink.source.IcebergSource;
import org.apache.iceberg.flink.source.reader.RowDataConverter;

/**
 * The enrichment job's four inputs, read from the warehouse instead of Kafka: the raw payments of
 * the range, and the changelogs as they stood at its end. Rows become the very records the Kafka
 * decoders produce, so the enrichment's own operators run on them unchanged.
 *
 * <p>Accounts whose customers asked to be forgotten stay forgotten: their profile versions are
 * replaced by tombstones, so no payment is enriched with them, not even one from before the request.
 */
final class BackfillSources {
    private BackfillSources() {}

    static EnrichmentSources of(WarehouseCatalog catalog, Tables tables, BackfillRange range,
            Set<String> forgottenAccounts) {
        long to = range.to().toEpochMilli();
        return new EnrichmentSources(
                source(catalog, WarehouseTable.RAW_TRANSACTIONS, range.rawFilter(),
                        new Payments(new RowToRecord<>(tables.raw().schema(), MaskedTransaction.class))),
                source(catalog, WarehouseTable.ACCOUNTS, changedBefore("updated_at", to, true),
                        new Accounts(new RowToRecord<>(tables.accounts().schema(), AccountProfile.class),
                                Set.copyOf(forgottenAccounts))),
                source(catalog, WarehouseTable.MERCHANTS, changedBefore("updated_at", to, true),
                        new Merchants(new RowToRecord<>(tables.merchants().schema(), Merchant.class))),
                source(catalog, WarehouseTable.FX_RATES, changedBefore("valid_from", to, false),
                        new FxRates(new RowToRecord<>(tables.fxRates().schema(), FxRate.class))));
    }

    /** The loaded input tables, for their schemas. */
    record Tables(Table raw, Table accounts, Table merchants, Table fxRates) {}

    private static <T> IcebergSource<T> source(WarehouseCatalog catalog, WarehouseTable table, Expression filter,
            RowDataConverter<T> converter) {
        return IcebergSource.forOutputType(converter)
                .tableLoader(catalog.tableLoader(table))
                .filters(List.of(filter))
                .build();
    }

    /** Versions that took effect before the range's end, and tombstones (which have no time) if asked for. */
    private static Expression changedBefore(String column, long toMillis, boolean withTombstones) {
        Expression before = Expressions.lessThan(column, toMillis * 1000L);
        return withTombstones ? Expressions.or(Expressions.isNull(column), before) : before;
    }

    private static final class Payments implements RowDataConverter<Decoded<MaskedTransaction>> {
        private static final long serialVersionUID = 1L;
        private final RowToRecord<MaskedTransaction> records;

        Payments(RowToRecord<MaskedTransaction> records) {
            this.records = records;
        }

        @Override
        public Decoded<MaskedTransaction> apply(RowData row) {
            return Decoded.value(records.record(row));
        }

        @Override
        public TypeInformation<Decoded<MaskedTransaction>> getProducedType() {
            return TransactionRecordDecoder.TYPE;
        }
    }

    private static final class Accounts implements RowDataConverter<Decoded<AccountSnapshot>> {
        private static final long serialVersionUID = 1L;
        private final RowToRecord<AccountProfile> records;
        private final Set<String> forgotten;

        Accounts(RowToRecord<AccountProfile> records, Set<String> forgotten) {
            this.records = records;
            this.forgotten = forgotten;
        }

        @Override
        public Decoded<AccountSnapshot> apply(RowData row) {
            // Only the columns AccountSnapshot takes are read; the profile's personal data is not in the table.
            AccountProfile profile = records.record(row);
            if (profile.getUpdatedAt() == null || forgotten.contains(profile.getAccountId())) {
                return Decoded.tombstone(profile.getAccountId());
            }
            return Decoded.value(AccountSnapshot.of(profile));
        }

        @Override
        public TypeInformation<Decoded<AccountSnapshot>> getProducedType() {
            return TypeInformation.of(new TypeHint<Decoded<AccountSnapshot>>() {});
        }
    }

    private static final class Merchants implements RowDataConverter<Decoded<Merchant>> {
        private static final long serialVersionUID = 1L;
        private final RowToRecord<Merchant> records;

        Merchants(RowToRecord<Merchant> records) {
            this.records = records;
        }

        @Override
        public Decoded<Merchant> apply(RowData row) {
            Merchant merchant = records.record(row);
            return merchant.getUpdatedAt() == null ? Decoded.tombstone(merchant.getMerchantId()) : Decoded.value(merchant);
        }

        @Override
        public TypeInformation<Decoded<Merchant>> getProducedType() {
            return TypeInformation.of(new TypeHint<Decoded<Merchant>>() {});
        }
    }

    private static final class FxRates implements RowDataConverter<Decoded<FxRate>> {
        private static final long serialVersionUID = 1L;
        private final RowToRecord<FxRate> records;

        FxRates(RowToRecord<FxRate> records) {
            this.records = records;
        }

        @Override
        public Decoded<FxRate> apply(RowData row) {
            return Decoded.value(records.record(row));
        }

        @Override
        public TypeInformation<Decoded<FxRate>> getProducedType() {
            return TypeInformation.of(new TypeHint<Decoded<FxRate>>() {});
        }
    }
}
