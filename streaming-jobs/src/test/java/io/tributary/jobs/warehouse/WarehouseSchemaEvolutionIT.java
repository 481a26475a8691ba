package io.tributary.jobs.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.events.MaskedTransaction;
import io.tributary.jobs.warehouse.internal.AvroToIceberg;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A contract change reaches a table that warehouse-sink filled ({@link WarehouseFixture}), on a copy
 * of its tables.
 */
@ExtendWith(WarehouseFixtureExtension.class)
class WarehouseSchemaEvolutionIT {
    @Test
    void aNewOptionalContractFieldEvolvesTheTableWithoutRewritingIt(WarehouseFixture fixture, LocalWarehouse warehouse)
            throws Exception {
        Table raw = warehouse.table(WarehouseTable.RAW_TRANSACTIONS);
        long snapshot = raw.currentSnapshot().snapshotId();
        Map<String, String> files = TableFiles.hashes(raw);
        Schema contract = SchemaBuilder.record("MaskedTransaction").namespace("io.tributary.events")
                .fields().name("risk_score").type().optional().doubleType().endRecord();
        List<Schema.Field> fields = new ArrayList<>();
        MaskedTransaction.getClassSchema().getFields().forEach(f -> fields.add(new Schema.Field(f, f.schema())));
        fields.add(new Schema.Field(contract.getField("risk_score"), contract.getField("risk_score").schema()));
        Schema evolvedContract = Schema.createRecord("MaskedTransaction", null, "io.tributary.events", false,
                fields);

        boolean changed = WarehouseCatalog.evolve(raw, AvroToIceberg.tableSchema(evolvedContract, false, false, true));
        raw.refresh();

        assertThat(changed).isTrue();
        assertThat(raw.schema().findField("risk_score").isOptional()).isTrue();
        assertThat(raw.currentSnapshot().snapshotId()).isEqualTo(snapshot);
        assertThat(TableFiles.hashes(raw)).isEqualTo(files);
        assertThat(TableRows.read(raw)).allSatisfy(r -> assertThat(r).containsEntry("risk_score", null));
        assertThat(warehouse.query("SELECT count(*) AS n FROM raw_transactions"))
                .isEqualTo("n\n" + fixture.rawRows.size() + "\n");
        assertThat(WarehouseCatalog.evolve(raw, AvroToIceberg.tableSchema(evolvedContract, false, false, true)))
                .as("a second start changes nothing").isFalse();
    }
}
