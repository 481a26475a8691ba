package io.tributary.jobs.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.events.AccountProfile;
import io.tributary.events.Evidence;
import io.tributary.events.FraudAlert;
import io.tributary.events.Location;
import io.tributary.events.MaskedTransaction;
import io.tributary.events.PaymentChannel;
import io.tributary.events.RiskLevel;
import io.tributary.events.RuleType;
import io.tributary.events.Severity;
import io.tributary.events.TransactionStatus;
import io.tributary.jobs.warehouse.internal.AvroToIceberg;
import io.tributary.jobs.warehouse.internal.RecordToRow;
import io.tributary.jobs.warehouse.internal.RowToRecord;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.avro.SchemaBuilder;
import org.apache.flink.table.data.RowData;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/** The tables' schemas from the contracts, and records to rows and back. */
class WarehouseTableTest {
    private static final Instant TIME = Instant.parse("2026-11-27T10:15:30.123Z");

    @Test
    void eventTablesFollowTheirContractWithIngestMetadataAndAnHourPartition() {
        Schema raw = WarehouseTable.RAW_TRANSACTIONS.schema();

        assertThat(raw.findField("event_id").type()).isEqualTo(Types.StringType.get());
        assertThat(raw.findField("amount").type()).isEqualTo(Types.DecimalType.of(18, 4));
        assertThat(raw.findField("event_time").type()).isEqualTo(Types.TimestampType.withZone());
        assertThat(raw.findField("event_time").isRequired()).isTrue();
        assertThat(raw.findField("status").type()).isEqualTo(Types.StringType.get());
        assertThat(raw.findField("device_id").isOptional()).isTrue();
        assertThat(raw.findField("location").type().asStructType().field("latitude").type())
                .isEqualTo(Types.DoubleType.get());
        assertThat(raw.columns()).extracting(Types.NestedField::name).endsWith(
                "ingest_topic", "ingest_partition", "ingest_offset", "ingest_time");
        assertThat(WarehouseTable.RAW_TRANSACTIONS.partitionSpec(raw).fields()).singleElement()
                .satisfies(f -> assertThat(f.transform().toString()).isEqualTo("hour"));
        assertThat(WarehouseTable.TRANSACTIONS_ENRICHED.schema().findField("ingest_offset")).isNull();
    }

    @Test
    void changelogTablesLeaveOutPersonalDataAndMakeEveryColumnOptionalForTombstones() {
        Schema accounts = WarehouseTable.ACCOUNTS.schema();

        assertThat(accounts.findField("customer_name")).isNull();
        assertThat(accounts.findField("email")).isNull();
        assertThat(accounts.findField("account_id").isOptional()).isTrue();
        assertThat(accounts.findField("deleted").isRequired()).isTrue();
        assertThat(WarehouseTable.ACCOUNTS.partitionSpec(accounts).isUnpartitioned()).isTrue();
    }

    @Test
    void aPaymentBecomesARowAndComesBackTheSame() {
        MaskedTransaction payment = payment(Location.newBuilder().setLatitude(52.5).setLongitude(13.4).setCity(null).build());
        Schema schema = WarehouseTable.RAW_TRANSACTIONS.schema();

        RowData row = new RecordToRow(schema, MaskedTransaction.getClassSchema())
                .row(payment, new RecordToRow.Ingest("payments", 3, 42L, TIME.toEpochMilli()));
        MaskedTransaction back = new RowToRecord<>(schema, MaskedTransaction.class).record(row);

        assertThat(back).isEqualTo(payment);
        int offset = schema.columns().indexOf(schema.findField("ingest_offset"));
        assertThat(row.getLong(offset)).isEqualTo(42L);
        assertThat(row.getString(schema.columns().indexOf(schema.findField("ingest_topic"))).toString()).isEqualTo("payments");
    }

    @Test
    void nullsAndNestedListsSurviveTheRoundTrip() {
        MaskedTransaction withoutLocation = payment(null);
        Schema raw = WarehouseTable.RAW_TRANSACTIONS.schema();
        FraudAlert alert = FraudAlert.newBuilder().setAlertId(UUID.randomUUID()).setRuleId("r").setRuleVersion(2)
                .setRuleType(RuleType.VELOCITY).setSeverity(Severity.HIGH).setTransactionId("t")
                .setEventId(UUID.randomUUID()).setAccountId("a").setCardToken("c").setEventTime(TIME).setDetectedAt(TIME)
                .setEvidence(List.of(Evidence.newBuilder().setName("n").setValue(1.5).setLimit(null).setDetail("d").build()))
                .build();
        Schema alerts = WarehouseTable.FRAUD_ALERTS.schema();

        assertThat(new RowToRecord<>(raw, MaskedTransaction.class)
                .record(new RecordToRow(raw, MaskedTransaction.getClassSchema()).row(withoutLocation,
                        new RecordToRow.Ingest("p", 0, 0, 0)))).isEqualTo(withoutLocation);
        assertThat(new RowToRecord<>(alerts, FraudAlert.class)
                .record(new RecordToRow(alerts, FraudAlert.getClassSchema()).row(alert, null))).isEqualTo(alert);
    }

    @Test
    void aTombstoneRowHasItsKeyAndDeletedAndNothingElse() {
        Schema accounts = WarehouseTable.ACCOUNTS.schema();

        RowData row = new RecordToRow(accounts, AccountProfile.getClassSchema())
                .tombstone("account_id", "acc-1", new RecordToRow.Ingest("accounts", 0, 7, 0));
        AccountProfile back = new RowToRecord<>(accounts, AccountProfile.class).record(row);

        assertThat(back.getAccountId()).isEqualTo("acc-1");
        assertThat(back.getUpdatedAt()).isNull();
        assertThat(row.getBoolean(accounts.columns().indexOf(accounts.findField("deleted")))).isTrue();
    }

    @Test
    void aProfileRowHasNoPersonalData() {
        AccountProfile profile = AccountProfile.newBuilder().setAccountId("acc-1").setCustomerName("Jane Roe")
                .setEmail("jane@example.com").setRiskTier(RiskLevel.LOW).setHomeCountry("DE").setOpenedAt(null)
                .setUpdatedAt(TIME).build();
        Schema accounts = WarehouseTable.ACCOUNTS.schema();

        RowData row = new RecordToRow(accounts, AccountProfile.getClassSchema())
                .row(profile, new RecordToRow.Ingest("accounts", 0, 7, 0));

        assertThat(row.toString()).doesNotContain("Jane").doesNotContain("jane@");
        assertThat(new RowToRecord<>(accounts, AccountProfile.class).record(row).getRiskTier()).isEqualTo(RiskLevel.LOW);
    }

    @Test
    void aColumnTheContractLacksIsNullAndAnUnsupportedTypeIsRefused() {
        Schema wider = new Schema(List.of(Types.NestedField.optional(1, "event_id", Types.StringType.get()),
                Types.NestedField.optional(2, "risk_score", Types.DoubleType.get())));

        RowData row = new RecordToRow(wider, MaskedTransaction.getClassSchema()).row(payment(null), null);

        assertThat(row.isNullAt(1)).isTrue();
        assertThatThrownBy(() -> AvroToIceberg.tableSchema(SchemaBuilder.record("R").fields().name("m").type().map()
                .values().stringType().noDefault().endRecord(), false, false, false))
                .hasMessageContaining("No warehouse column type");
    }

    private static MaskedTransaction payment(Location location) {
        return MaskedTransaction.newBuilder().setEventId(UUID.randomUUID()).setTransactionId("tx").setAccountId("acc")
                .setCardToken("tok").setCardLast4("4242").setMerchantId("m").setAmount(new BigDecimal("12.3400"))
                .setCurrency("EUR").setEventTime(TIME).setStatus(TransactionStatus.DECLINED).setChannel(PaymentChannel.ECOMMERCE)
                .setCountry("DE").setDeviceId("dev").setIpPrefix(null).setEmailToken("et").setLocation(location).build();
    }
}
