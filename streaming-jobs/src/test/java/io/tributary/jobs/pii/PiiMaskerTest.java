package io.tributary.jobs.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.events.Location;
import io.tributary.events.MaskedTransaction;
import io.tributary.events.PaymentChannel;
import io.tributary.events.Transaction;
import io.tributary.events.TransactionStatus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PiiMaskerTest {
    private static final byte[] KEY_BYTES = sequence(0);
    private static final TokenizationKey KEY = TokenizationKeyTest.key(KEY_BYTES);
    private static final TokenizationKey OTHER_KEY = TokenizationKeyTest.key(sequence(1));
    private static final String CARD = "4111111111111111";
    private static final String EMAIL = "Ada@Example.org";
    private static final String IP = "203.0.113.7";

    private final PiiMasker masker = PiiMasker.create(KEY);

    /** A transaction that keeps its contract; also used by {@link TransactionValidatorTest}. */
    static Transaction.Builder validTransaction() {
        return Transaction.newBuilder()
                .setEventId(UUID.fromString("0b6f3c1e-8a43-4c53-9d0e-5f2a7c9e1d24"))
                .setTransactionId("tx-1")
                .setAccountId("acc-1")
                .setCardNumber(CARD)
                .setMerchantId("m-1")
                .setAmount(new BigDecimal("12.5000"))
                .setCurrency("EUR")
                .setEventTime(Instant.parse("2025-03-14T09:26:53.589Z"))
                .setStatus(TransactionStatus.AUTHORIZED)
                .setChannel(PaymentChannel.ECOMMERCE)
                .setCountry("DE")
                .setDeviceId("dev-1")
                .setIpAddress(IP)
                .setEmail(EMAIL)
                .setLocation(new Location(52.52, 13.405, "Berlin"));
    }

    private static byte[] sequence(int first) {
        byte[] bytes = new byte[32];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (first + i);
        }
        return bytes;
    }

    @Test
    void cardTokenIsTheKeyedHmacOfTheDomainPrefixedNumber() throws Exception {
        MaskedTransaction masked = masker.mask(validTransaction().build());

        assertThat(masked.getCardToken())
                .isEqualTo(hmacSha256Base64Url(KEY_BYTES, "card_number:" + CARD))
                .matches("[A-Za-z0-9_-]{43}");
        assertThat(masked.getCardLast4()).isEqualTo("1111");
    }

    @Test
    void tokensAreDeterministicAndDependOnTheKey() {
        Transaction transaction = validTransaction().build();
        MaskedTransaction first = masker.mask(transaction);
        MaskedTransaction again = PiiMasker.create(TokenizationKeyTest.key(KEY_BYTES)).mask(transaction);
        MaskedTransaction otherKey = PiiMasker.create(OTHER_KEY).mask(transaction);

        assertThat(again.getCardToken()).isEqualTo(first.getCardToken());
        assertThat(again.getEmailToken()).isEqualTo(first.getEmailToken());
        assertThat(otherKey.getCardToken()).isNotEqualTo(first.getCardToken());
        assertThat(otherKey.getEmailToken()).isNotEqualTo(first.getEmailToken());
        assertThat(otherKey.getCardLast4()).isEqualTo(first.getCardLast4());
    }

    @Test
    void emailTokenIgnoresCaseAndSurroundingSpaces() throws Exception {
        String token = masker.mask(validTransaction().build()).getEmailToken();

        assertThat(token).isEqualTo(hmacSha256Base64Url(KEY_BYTES, "email:ada@example.org"));
        assertThat(masker.mask(validTransaction().setEmail("  ADA@example.ORG\t").build()).getEmailToken())
                .isEqualTo(token);
        assertThat(masker.mask(validTransaction().setEmail("eve@example.org").build()).getEmailToken())
                .isNotEqualTo(token);
    }

    @Test
    void aCardNumberAndAnEmailWithTheSameTextGetDifferentTokens() {
        MaskedTransaction masked = masker.mask(validTransaction().setEmail(CARD).build());

        assertThat(masked.getEmailToken()).isNotEqualTo(masked.getCardToken());
    }

    @Test
    void nullOptionalFieldsStayNull() {
        Transaction transaction = validTransaction().setIpAddress(null).setEmail(null).setDeviceId(null)
                .setLocation(null).build();

        MaskedTransaction masked = masker.mask(transaction);

        assertThat(masked.getIpPrefix()).isNull();
        assertThat(masked.getEmailToken()).isNull();
        assertThat(masked.getDeviceId()).isNull();
        assertThat(masked.getLocation()).isNull();
    }

    @ParameterizedTest
    @CsvSource({
        "203.0.113.7, 203.0.113.0/24",
        "10.0.0.255, 10.0.0.0/24",
        "0.0.0.0, 0.0.0.0/24",
        "' 198.51.100.42 ', 198.51.100.0/24",
        "2001:db8:abcd:12::1, 2001:db8:abcd::/48",
        "2001:DB8:0:0:8:800:200C:417A, 2001:db8::/48",
        "2001:0db8:0000:0042:0000:8a2e:0370:7334, 2001:db8::/48",
        "2001:0:db8::, 2001:0:db8::/48",
        "fe80::1, fe80::/48",
        "::1, ::/48",
        "::, ::/48",
        "::ffff:203.0.113.7, 203.0.113.0/24",
        "64:ff9b::192.0.2.33, 64:ff9b::/48",
    })
    void truncatesIpAddressesToTheirNetwork(String address, String prefix) {
        assertThat(masker.mask(validTransaction().setIpAddress(address).build()).getIpPrefix()).isEqualTo(prefix);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "not-an-ip", "localhost", "example.com", "256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.4 5",
        "1.2.3.4:8080", "２03.0.113.7", "2001:db8::1::2", ":::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::8",
        "1:2:3:4:5:6:7", "12345::", "::1.2.3.4:5", "1.2.3.4::", "fe80::1%eth0", "[2001:db8::1]", ":1::", "1::2:",
        "g::1"
    })
    void garbageIpBecomesNull(String garbage) {
        assertThat(masker.mask(validTransaction().setIpAddress(garbage).build()).getIpPrefix()).isNull();
    }

    @Test
    void copiesEveryNonPersonalFieldUnchanged() {
        Transaction transaction = validTransaction().build();

        MaskedTransaction masked = masker.mask(transaction);

        List<String> copied = List.of("event_id", "transaction_id", "account_id", "merchant_id", "amount",
                "currency", "event_time", "status", "channel", "country", "device_id", "location");
        for (String field : copied) {
            assertThat(masked.get(field)).as(field).isNotNull().isEqualTo(transaction.get(field));
        }
        assertThat(masked.getLocation().getCity()).isEqualTo("Berlin");
        assertThat(masked.getAmount()).isEqualByComparingTo("12.5");
        List<String> masking = List.of("card_token", "card_last4", "ip_prefix", "email_token");
        assertThat(MaskedTransaction.getClassSchema().getFields())
                .extracting(Schema.Field::name)
                .containsExactlyInAnyOrderElementsOf(concat(copied, masking));
    }

    @Test
    void theMaskedRecordHoldsNoClearPersonalData() throws Exception {
        MaskedTransaction masked = masker.mask(validTransaction().build());
        String text = masked.toString();
        String binary = new String(avroBinary(masked), StandardCharsets.ISO_8859_1);

        for (String clear : List.of(CARD, EMAIL, EMAIL.toLowerCase(), IP)) {
            assertThat(text).doesNotContain(clear);
            assertThat(binary).doesNotContain(clear);
        }
    }

    @Test
    void leavesTheInputUnchanged() {
        Transaction transaction = validTransaction().build();

        masker.mask(transaction);

        assertThat(transaction).isEqualTo(validTransaction().build());
    }

    @Test
    void worksAfterJavaSerializationAsFlinkShipsIt() throws Exception {
        Transaction transaction = validTransaction().build();
        MaskedTransaction before = masker.mask(transaction);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(masker);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            PiiMasker copy = (PiiMasker) in.readObject();
            assertThat(copy.mask(transaction)).isEqualTo(before);
        }
    }

    @Test
    void planAcceptsWellFormedSchemas() {
        Schema source = record("In", "{\"name\": \"id\", \"type\": \"string\"}",
                "{\"name\": \"card\", \"type\": \"string\", \"pii\": \"card_number\"}",
                "{\"name\": \"mail\", \"type\": [\"null\", \"string\"], \"pii\": \"email\"}");
        Schema target = record("Out", "{\"name\": \"card_last4\", \"type\": \"string\", \"masked_from\": \"card_number\"}",
                "{\"name\": \"id\", \"type\": \"string\"}",
                "{\"name\": \"mail_token\", \"type\": [\"null\", \"string\"], \"masked_from\": \"email\"}");

        PiiMasker.Plan plan = PiiMasker.Plan.between(source, target);

        assertThat(plan.copyFrom).containsExactly(0);
        assertThat(plan.copyTo).containsExactly(1);
        assertThat(plan.steps).containsExactly(
                new PiiMasker.Step(1, 0, PiiMasker.Derivation.CARD_LAST4),
                new PiiMasker.Step(2, 2, PiiMasker.Derivation.EMAIL_TOKEN));
    }

    @Test
    void planRefusesAPersonalFieldWithoutMaskedCounterpart() {
        Schema source = record("In", "{\"name\": \"id\", \"type\": \"string\"}",
                "{\"name\": \"phone\", \"type\": \"string\", \"pii\": \"email\"}");
        Schema target = record("Out", "{\"name\": \"id\", \"type\": \"string\"}");

        assertPlanRefused(source, target, "In.phone");
    }

    @Test
    void planRefusesToCopyAPersonalFieldInClear() {
        Schema source = record("In", "{\"name\": \"email\", \"type\": \"string\", \"pii\": \"email\"}");
        Schema target = record("Out", "{\"name\": \"email\", \"type\": \"string\"}",
                "{\"name\": \"email_token\", \"type\": \"string\", \"masked_from\": \"email\"}");

        assertPlanRefused(source, target, "Out.email", "in clear");
    }

    @Test
    void planRefusesPersonalFieldsOfAKindItCannotMask() {
        Schema source = record("In", "{\"name\": \"name\", \"type\": \"string\", \"pii\": \"name\"}");
        Schema target = record("Out", "{\"name\": \"name_token\", \"type\": \"string\", \"masked_from\": \"name\"}");

        assertPlanRefused(source, target, "Out.name_token", "does not know");
        assertPlanRefused(source, record("Out", "{\"name\": \"x\", \"type\": \"int\", \"default\": 0}"), "Out.x");
        assertPlanRefused(source, record("Out"), "In.name");
    }

    @Test
    void planRefusesMisshapenMaskedFields() {
        Schema source = record("In", "{\"name\": \"card\", \"type\": \"string\", \"pii\": \"card_number\"}",
                "{\"name\": \"ip\", \"type\": [\"null\", \"string\"], \"pii\": \"ip_address\"}");
        String card = "{\"name\": \"card_token\", \"type\": \"string\", \"masked_from\": \"card_number\"}";
        String ip = "{\"name\": \"ip_prefix\", \"type\": [\"null\", \"string\"], \"masked_from\": \"ip_address\"}";

        assertPlanRefused(source, record("Out", ip,
                "{\"name\": \"card_hash\", \"type\": \"string\", \"masked_from\": \"card_number\"}"),
                "Out.card_hash", "card_token or card_last4");
        assertPlanRefused(source, record("Out", card,
                "{\"name\": \"ip_prefix\", \"type\": \"string\", \"masked_from\": \"ip_address\"}"),
                "Out.ip_prefix", "nullable string");
        assertPlanRefused(source, record("Out", card, ip, "{\"name\": \"email_token\", \"type\": "
                + "[\"null\", \"string\"], \"masked_from\": \"email\"}"), "Out.email_token", "0 fields");
        assertPlanRefused(source, record("Out", card, ip,
                "{\"name\": \"card\", \"type\": \"string\", \"pii\": \"card_number\"}"), "Out.card", "pii");

        assertPlanRefused(record("In", "{\"name\": \"card\", \"type\": \"long\", \"pii\": \"card_number\"}"),
                record("Out", card), "Out.card_token", "not a string");
    }

    @Test
    void refusesACardNumberTooShortForItsLastFourToHideAnything() {
        assertThatThrownBy(() -> masker.mask(validTransaction().setCardNumber("987").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("987");
    }

    @Test
    void planRefusesACopyWhoseTypeChanged() {
        Schema source = record("In", "{\"name\": \"amount\", \"type\": \"long\"}");
        Schema target = record("Out", "{\"name\": \"amount\", \"type\": \"string\"}");

        assertPlanRefused(source, target, "Out.amount", "different type");
    }

    private static void assertPlanRefused(Schema source, Schema target, String... messageParts) {
        assertThatThrownBy(() -> PiiMasker.Plan.between(source, target))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContainingAll(messageParts);
    }

    private static Schema record(String name, String... fields) {
        return new Schema.Parser().parse(
                "{\"type\": \"record\", \"name\": \"" + name + "\", \"fields\": [" + String.join(", ", fields) + "]}");
    }

    private static String hmacSha256Base64Url(byte[] key, String message) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] avroBinary(MaskedTransaction masked) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new SpecificDatumWriter<>(MaskedTransaction.class).write(masked, encoder);
        encoder.flush();
        return bytes.toByteArray();
    }

    private static List<String> concat(List<String> first, List<String> second) {
        return Stream.concat(first.stream(), second.stream()).toList();
    }
}
