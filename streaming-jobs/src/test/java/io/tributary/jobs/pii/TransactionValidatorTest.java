package io.tributary.jobs.pii;

import static io.tributary.jobs.pii.PiiMaskerTest.validTransaction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.contracts.RejectionReason;
import io.tributary.events.Location;
import io.tributary.events.Transaction;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TransactionValidatorTest {
    private static final Duration SKEW = Duration.ofMinutes(5);
    private static final Instant EVENT_TIME = validTransaction().getEventTime();
    /** The record timestamp at which EVENT_TIME is exactly SKEW ahead. */
    private static final long EARLIEST_ACCEPTED_TS = EVENT_TIME.minus(SKEW).toEpochMilli();

    private final TransactionValidator validator = new TransactionValidator(SKEW);

    private Optional<ContractViolation> validate(Transaction transaction) {
        return validator.validate(transaction, EVENT_TIME.toEpochMilli());
    }

    private Optional<ContractViolation> validate(Transaction.Builder transaction) {
        return validate(transaction.build());
    }

    /** Asserts the reason and that the detail does not quote the offending value. */
    private static void assertViolation(Optional<ContractViolation> result, String reason, String offendingValue) {
        assertThat(result).hasValueSatisfying(violation -> {
            assertThat(violation.reason()).isEqualTo(reason);
            assertThat(violation.detail()).isNotBlank().doesNotContain(offendingValue);
        });
    }

    @Test
    void aValidTransactionPasses() {
        assertThat(validate(validTransaction())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"transaction_id", "account_id", "card_number", "merchant_id", "currency", "country"})
    void requiredStringsMustNotBeBlankOrNull(String field) {
        for (String blank : new String[] {"", " \t", null}) {
            Transaction transaction = validTransaction().build();
            transaction.put(field, blank);

            assertThat(validate(transaction)).hasValueSatisfying(violation -> {
                assertThat(violation.reason()).isEqualTo(TransactionValidator.MISSING_FIELD);
                assertThat(violation.detail()).isEqualTo(field + " is missing or blank");
            });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"event_id", "amount", "event_time", "status", "channel"})
    void otherRequiredFieldsMustNotBeNull(String field) {
        Transaction transaction = validTransaction().build();
        transaction.put(field, null);

        assertViolation(validate(transaction), TransactionValidator.MISSING_FIELD, "null");
    }

    @ParameterizedTest
    @ValueSource(strings = {"411111111111", "4111111111111111111"})
    void cardNumbersOf12To19DigitsPass(String cardNumber) {
        assertThat(validate(validTransaction().setCardNumber(cardNumber))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"41111111111", "41111111111111111111", "4111 1111 1111 1111", "4111-1111-1111-1111",
        "411111111111111x", "٤١١١١١١١١١١١١١١١", " 4111111111111111"})
    void otherCardNumbersFail(String cardNumber) {
        Optional<ContractViolation> result = validate(validTransaction().setCardNumber(cardNumber));

        assertViolation(result, TransactionValidator.INVALID_CARD_NUMBER, cardNumber.strip());
        assertThat(result.get().detail()).isEqualTo("card_number must be 12 to 19 digits");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0001", "12.0001", "12.50000000", "1E+3"})
    void positiveAmountsWithAtMostFourDecimalPlacesPass(String amount) {
        assertThat(validate(validTransaction().setAmount(new BigDecimal(amount)))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        "0.0000,    CONTRACT_NON_POSITIVE_AMOUNT, 0.0",
        "-12.5000,  CONTRACT_NON_POSITIVE_AMOUNT, 12.5",
        "12.00001,  CONTRACT_AMOUNT_SCALE,        12.00001",
        "12.000010, CONTRACT_AMOUNT_SCALE,        12.00001"})
    void amountsNotPositiveOrWithMoreThanFourDecimalPlacesFail(String amount, RejectionReason reason,
            String offendingValue) {
        assertViolation(validate(validTransaction().setAmount(new BigDecimal(amount))), reason.name(), offendingValue);
    }

    @ParameterizedTest
    @ValueSource(strings = {"eur", "Eur", "EURO", "EU", "ABC", "E1R", "€"})
    void currencyMustBeAKnownIsoCode(String currency) {
        assertThat(validate(validTransaction().setCurrency(currency))).contains(new ContractViolation(
                TransactionValidator.UNKNOWN_CURRENCY, "currency must be a known ISO 4217 code"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"EUR", "USD", "JPY", "CHF"})
    void knownCurrenciesPass(String currency) {
        assertThat(validate(validTransaction().setCurrency(currency))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"de", "De", "DEU", "D", "XX", "ZZ", "D1"})
    void countryMustBeAnIsoAlpha2Code(String country) {
        assertThat(validate(validTransaction().setCountry(country))).contains(new ContractViolation(
                TransactionValidator.INVALID_COUNTRY, "country must be an ISO 3166-1 alpha-2 code"));
    }

    @Test
    void eventTimeMayRunAheadOfTheRecordTimestampByAtMostTheSkew() {
        Transaction transaction = validTransaction().build();

        assertThat(validator.validate(transaction, EARLIEST_ACCEPTED_TS)).isEmpty();
        Optional<ContractViolation> result = validator.validate(transaction, EARLIEST_ACCEPTED_TS - 1);
        assertViolation(result, TransactionValidator.FUTURE_EVENT_TIME, EVENT_TIME.toString());
        assertThat(result.get().detail())
                .isEqualTo("event_time is 5 min 1 ms after the record reached Kafka, more than the allowed 5 min");
    }

    @Test
    void eventTimeAheadIsDescribedForPeople() {
        long recordTs = EVENT_TIME.minus(Duration.ofHours(2).plusMinutes(5)).toEpochMilli();

        assertThat(validator.validate(validTransaction().build(), recordTs)).hasValueSatisfying(violation ->
                assertThat(violation.detail()).isEqualTo(
                        "event_time is 2 h 5 min after the record reached Kafka, more than the allowed 5 min"));
    }

    @Test
    void eventTimeInThePastOrAnUnknownRecordTimestampPasses() {
        Transaction transaction = validTransaction().build();

        assertThat(validator.validate(transaction, EVENT_TIME.plus(Duration.ofDays(30)).toEpochMilli())).isEmpty();
        assertThat(validator.validate(transaction, -1)).isEmpty();
        assertThat(validator.validate(validTransaction().setEventTime(Instant.parse("2999-01-01T00:00:00Z")).build(),
                -1)).isEmpty();
    }

    @Test
    void theFirstViolationInTheDocumentedOrderWins() {
        Transaction.Builder everythingWrong = validTransaction()
                .setCardNumber("123")
                .setAmount(new BigDecimal("-0.00001"))
                .setCurrency("???")
                .setCountry("??")
                .setEventTime(EVENT_TIME.plus(Duration.ofDays(1)));

        assertViolation(validate(everythingWrong.setMerchantId(" ")), TransactionValidator.MISSING_FIELD, "?");
        assertViolation(validate(everythingWrong.setMerchantId("m-1")), TransactionValidator.INVALID_CARD_NUMBER, "123");
        assertViolation(validate(everythingWrong.setCardNumber("4111111111111111")),
                TransactionValidator.NON_POSITIVE_AMOUNT, "0.00001");
        assertViolation(validate(everythingWrong.setAmount(new BigDecimal("0.00001"))),
                TransactionValidator.UNKNOWN_CURRENCY, "???");
        assertViolation(validate(everythingWrong.setCurrency("EUR")), TransactionValidator.INVALID_COUNTRY, "??");
        assertViolation(validate(everythingWrong.setCountry("DE")), TransactionValidator.FUTURE_EVENT_TIME, "2025");
        assertViolation(validate(everythingWrong.setEventTime(EVENT_TIME)), TransactionValidator.AMOUNT_SCALE,
                "0.00001");
    }

    @Test
    void reasonsListsEveryCodeInCheckOrder() {
        assertThat(TransactionValidator.reasons())
                .containsExactly("CONTRACT_MISSING_FIELD", "CONTRACT_INVALID_CARD_NUMBER",
                        "CONTRACT_NON_POSITIVE_AMOUNT", "CONTRACT_AMOUNT_TOO_LARGE", "CONTRACT_UNKNOWN_CURRENCY",
                        "CONTRACT_INVALID_COUNTRY", "CONTRACT_FUTURE_EVENT_TIME", "CONTRACT_AMOUNT_SCALE",
                        "CONTRACT_INVALID_LOCATION")
                .allSatisfy(reason -> assertThat(RejectionReason.valueOf(reason)).isNotNull());
    }

    @Test
    void aLocationOffTheGlobeIsRefused() {
        assertThat(validate(validTransaction().setLocation(location(-90, 180)))).isEmpty();
        assertThat(validate(validTransaction().setLocation(null))).isEmpty();
        for (Location off : List.of(location(Double.NaN, 8.5), location(47.4, Double.NaN), location(90.5, 0),
                location(0, -180.5), location(Double.POSITIVE_INFINITY, 0))) {
            assertThat(validate(validTransaction().setLocation(off))).as(off.toString()).hasValueSatisfying(v ->
                    assertThat(v.reason()).isEqualTo(TransactionValidator.INVALID_LOCATION));
        }
    }

    private static Location location(double latitude, double longitude) {
        return Location.newBuilder().setLatitude(latitude).setLongitude(longitude).setCity("Zurich").build();
    }

    @Test
    void anAmountOfATrillionOrMoreIsRefused() {
        assertThat(validate(validTransaction().setAmount(new BigDecimal("999999999999.9999")))).isEmpty();
        assertViolation(validate(validTransaction().setAmount(new BigDecimal("1000000000000.0000"))),
                TransactionValidator.AMOUNT_TOO_LARGE, "1000000000000");
    }

    @Test
    void maxFutureSkewMustBePositive() {
        assertThatThrownBy(() -> new TransactionValidator(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TransactionValidator(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TransactionValidator(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void describesDurationsInWords() {
        assertThat(TransactionValidator.describe(Duration.ofDays(1).plusHours(3).plusSeconds(2)))
                .isEqualTo("1 d 3 h 2 s");
        assertThat(TransactionValidator.describe(Duration.ofMillis(1))).isEqualTo("1 ms");
        assertThat(TransactionValidator.describe(Duration.ofNanos(500))).isEqualTo("less than 1 ms");
    }
}
