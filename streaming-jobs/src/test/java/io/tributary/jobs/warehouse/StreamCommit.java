package io.tributary.jobs.warehouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.encryption.EncryptedFiles;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;

/**
 * A commit in the shape of warehouse-sink's, made by a test: one new payment appended, as a Parquet
 * data file of its hour partition, to {@code raw_transactions} and then to
 * {@code transactions_enriched}. The payment is a copy of one already in the hour with a new event
 * id (and, in the raw table, a new Kafka offset), so the enrichment gives it the very row the copy
 * of the enriched row holds.
 */
final class StreamCommit {
    private StreamCommit() {}

    /** A payment the test committed: its event id, and the event id of the payment it copies. */
    record Payment(String eventId, String copyOf) {}

    /** Appends a new payment to the hour of {@code hour}. */
    static Payment appendPayment(LocalWarehouse warehouse, Instant hour) {
        Table raw = warehouse.table(WarehouseTable.RAW_TRANSACTIONS);
        Table enriched = warehouse.table(WarehouseTable.TRANSACTIONS_ENRICHED);
        Record payment = first(enriched, hour);
        String original = (String) payment.getField("event_id");
        Record rawPayment = first(raw, Expressions.and(inHour(hour), Expressions.equal("event_id", original)));
        String eventId = UUID.randomUUID().toString();
        Record newRaw = rawPayment.copy();
        newRaw.setField("event_id", eventId);
        newRaw.setField(WarehouseTable.INGEST_OFFSET, Long.MAX_VALUE - Math.abs(eventId.hashCode()));
        Record newEnriched = payment.copy();
        newEnriched.setField("event_id", eventId);
        append(raw, newRaw);
        append(enriched, newEnriched);
        return new Payment(eventId, original);
    }

    static Expression inHour(Instant hour) {
        return Expressions.and(
                Expressions.greaterThanOrEqual(WarehouseTable.EVENT_TIME, hour.toEpochMilli() * 1000L),
                Expressions.lessThan(WarehouseTable.EVENT_TIME, hour.plus(Duration.ofHours(1)).toEpochMilli() * 1000L));
    }

    private static Record first(Table table, Instant hour) {
        return first(table, inHour(hour));
    }

    private static Record first(Table table, Expression filter) {
        try (CloseableIterable<Record> rows = IcebergGenerics.read(table).where(filter).build()) {
            for (Record r : rows) {
                return r;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("No row in " + table.name() + " for " + filter);
    }

    /** One row as a new data file of its partition, appended in a commit of its own. */
    private static void append(Table table, Record row) {
        PartitionKey partition = new PartitionKey(table.spec(), table.schema());
        partition.partition(new InternalRecordWrapper(table.schema().asStruct()).wrap(row));
        String location = table.locationProvider().newDataLocation(table.spec(), partition,
                "stream-meanwhile-" + UUID.randomUUID() + ".parquet");
        DataWriter<Record> writer = new GenericAppenderFactory(table.schema(), table.spec()).newDataWriter(
                EncryptedFiles.plainAsEncryptedOutput(table.io().newOutputFile(location)), FileFormat.PARQUET,
                partition);
        try (writer) {
            writer.write(row);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DataFile file = writer.toDataFile();
        table.newAppend().appendFile(file).commit();
    }
}
