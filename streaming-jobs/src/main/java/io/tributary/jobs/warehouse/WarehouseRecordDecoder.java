package io.tributary.jobs.warehouse;

import io.tributary.jobs.common.Decoded;
import io.tributary.jobs.warehouse.internal.RecordToRow;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.IndexedRecord;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.util.Collector;
import org.apache.iceberg.Schema;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns Kafka records into rows of one warehouse table, inside the source: the job's own decoder
 * (which checks the contract and tokenizes personal data) runs first, so no clear personal value
 * leaves the source, then the record becomes a row with its ingest metadata.
 *
 * <p>Records the decoder rejects are counted ({@code notWarehoused}) and not written: the enrichment
 * job, which reads the same topics, puts each of them in the dead-letter topic with its bytes and
 * reason, once.
 */
public final class WarehouseRecordDecoder implements KafkaRecordDeserializationSchema<RowData> {
    private static final long serialVersionUID = 1L;

    private final KafkaRecordDeserializationSchema<? extends Decoded<? extends IndexedRecord>> decoder;
    private final RecordToRow rows;
    private final Schema tableSchema;
    private final String keyColumn;
    private transient Counter notWarehoused;
    private transient List<Decoded<? extends IndexedRecord>> decoded;

    /**
     * @param tableSchema the table's current schema, which the rows follow
     * @param keyColumn the column a tombstone's key goes to; null on topics without tombstones
     */
    public WarehouseRecordDecoder(KafkaRecordDeserializationSchema<? extends Decoded<? extends IndexedRecord>> decoder,
            WarehouseTable table, Schema tableSchema, String keyColumn) {
        this.decoder = decoder;
        this.rows = new RecordToRow(tableSchema, table.contract());
        this.tableSchema = tableSchema;
        this.keyColumn = keyColumn;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) throws Exception {
        decoder.open(context);
        notWarehoused = context.getMetricGroup().counter("notWarehoused");
        decoded = new ArrayList<>(1);
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RowData> out) throws IOException {
        decoded.clear();
        ((KafkaRecordDeserializationSchema) decoder).deserialize(record, new Collector<Decoded<? extends IndexedRecord>>() {
            @Override
            public void collect(Decoded<? extends IndexedRecord> d) {
                decoded.add(d);
            }

            @Override
            public void close() {}
        });
        RecordToRow.Ingest ingest = new RecordToRow.Ingest(record.topic(), record.partition(), record.offset(),
                record.timestamp());
        for (Decoded<? extends IndexedRecord> d : decoded) {
            if (d.isDeadLetter() || (d.isTombstone() && keyColumn == null)) {
                notWarehoused.inc();
            } else if (d.isTombstone()) {
                out.collect(rows.tombstone(keyColumn, d.key, ingest));
            } else {
                out.collect(rows.row(d.value, ingest));
            }
        }
    }

    @Override
    public TypeInformation<RowData> getProducedType() {
        return InternalTypeInfo.of(FlinkSchemaUtil.convert(tableSchema));
    }
}
