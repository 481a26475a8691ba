package io.tributary.jobs.pii;

import io.tributary.contracts.RejectionReason;
import io.tributary.events.Location;
import io.tributary.events.Transaction;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks the contract of a decoded {@link Transaction} that Avro alone cannot express, before it is
 * masked: records that break it go to the dead-letter topic with a {@link ContractViolation} instead
 * of reaching fraud scoring with nonsense.
 *
 * <p>Checks run in a fixed order and the first violation wins, so one record always gets the same
 * reason. Details never quote a field value: the dead letter may be read by people who must not see
 * the card number, and the clear value is kept there in the original bytes anyway.
 *
 * <p>The result depends only on the record and the time it is known to have reached Kafka (the
 * broker's append time on the payments topic), never on the wall clock, so a replay or a backfill
 * classifies each record as the first run did.
 */
public final class TransactionValidator implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String MISSING_FIELD = RejectionReason.CONTRACT_MISSING_FIELD.name();
    public static final String INVALID_CARD_NUMBER = RejectionReason.CONTRACT_INVALID_CARD_NUMBER.name();
    public static final String NON_POSITIVE_AMOUNT = RejectionReason.CONTRACT_NON_POSITIVE_AMOUNT.name();
    public static final String AMOUNT_TOO_LARGE = RejectionReason.CONTRACT_AMOUNT_TOO_LARGE.name();
    public static final String UNKNOWN_CURRENCY = RejectionReason.CONTRACT_UNKNOWN_CURRENCY.name();
    public static final String INVALID_COUNTRY = RejectionReason.CONTRACT_INVALID_COUNTRY.name();
    public static final String FUTURE_EVENT_TIME = RejectionReason.CONTRACT_FUTURE_EVENT_TIME.name();
    public static final String AMOUNT_SCALE = RejectionReason.CONTRACT_AMOUNT_SCALE.name();
    public static final String INVALID_LOCATION = RejectionReason.CONTRACT_INVALID_LOCATION.name();

    /** Required fields in schema order; strings must also not be blank. */
    private static final List<String> REQUIRED_FIELDS = List.of(
            "event_id", "transaction_id", "account_id", "card_number", "merchant_id", "amount",
            "currency", "event_time", "status", "channel", "country");
    private static final Pattern CARD_NUMBER = Pattern.compile("[0-9]{12,19}");
    /** All three-upper-case-letter codes, so membership also checks the form. */
    private static final Set<String> CURRENCIES = Currency.getAvailableCurrencies().stream()
            .map(Currency::getCurrencyCode)
            .collect(Collectors.toUnmodifiableSet());
    /** All two-upper-case-letter codes, so membership also checks the form. */
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    /** The decimal scale of {@code amount} in the schema. */
    private static final int MAX_AMOUNT_SCALE = 4;
    /**
     * Amounts from here on are refused: no card payment is that large, and the amount in US dollars
     * must still fit the contract's decimal(18,4) after conversion.
     */
    static final java.math.BigDecimal AMOUNT_LIMIT = java.math.BigDecimal.TEN.pow(12);

    private final Duration maxFutureSkew;

    /**
     * @param maxFutureSkew how far the event time may run ahead of the time the record reached Kafka,
     *     to allow for clock differences between the gateway and the broker; must be positive
     */
    public TransactionValidator(Duration maxFutureSkew) {
        Objects.requireNonNull(maxFutureSkew, "maxFutureSkew");
        if (maxFutureSkew.isNegative() || maxFutureSkew.isZero()) {
            throw new IllegalArgumentException("maxFutureSkew must be positive, was " + maxFutureSkew);
        }
        this.maxFutureSkew = maxFutureSkew;
    }

    /** Every reason code {@link #validate} can return, in the order the checks run. */
    public static List<String> reasons() {
        return List.of(MISSING_FIELD, INVALID_CARD_NUMBER, NON_POSITIVE_AMOUNT, AMOUNT_TOO_LARGE, UNKNOWN_CURRENCY,
                INVALID_COUNTRY, FUTURE_EVENT_TIME, AMOUNT_SCALE, INVALID_LOCATION);
    }

    /**
     * The first contract violation of {@code transaction}, or empty if it keeps the contract.
     *
     * @param receivedAtMillis when the record is known to have reached Kafka, by a clock its producer
     *     cannot set (see TransactionRecordDecoder#receivedAt); negative when unknown, which skips
     *     the event-time check
     */
    public Optional<ContractViolation> validate(Transaction transaction, long receivedAtMillis) {
        for (String field : REQUIRED_FIELDS) {
            Object value = transaction.get(field);
            if (value == null || value instanceof CharSequence text && text.toString().isBlank()) {
                return violation(MISSING_FIELD, field + " is missing or blank");
            }
        }
        if (!CARD_NUMBER.matcher(transaction.getCardNumber()).matches()) {
            return violation(INVALID_CARD_NUMBER, "card_number must be 12 to 19 digits");
        }
        if (transaction.getAmount().signum() <= 0) {
            return violation(NON_POSITIVE_AMOUNT, "amount must be positive");
        }
        if (transaction.getAmount().compareTo(AMOUNT_LIMIT) >= 0) {
            return violation(AMOUNT_TOO_LARGE, "amount must be below 10^12");
        }
        if (!CURRENCIES.contains(transaction.getCurrency())) {
            return violation(UNKNOWN_CURRENCY, "currency must be a known ISO 4217 code");
        }
        if (!COUNTRIES.contains(transaction.getCountry())) {
            return violation(INVALID_COUNTRY, "country must be an ISO 3166-1 alpha-2 code");
        }
        if (receivedAtMillis >= 0) {
            Duration ahead = Duration.between(Instant.ofEpochMilli(receivedAtMillis), transaction.getEventTime());
            if (ahead.compareTo(maxFutureSkew) > 0) {
                return violation(FUTURE_EVENT_TIME, "event_time is " + describe(ahead)
                        + " after the record reached Kafka, more than the allowed " + describe(maxFutureSkew));
            }
        }
        if (transaction.getAmount().stripTrailingZeros().scale() > MAX_AMOUNT_SCALE) {
            return violation(AMOUNT_SCALE, "amount must have at most " + MAX_AMOUNT_SCALE + " decimal places");
        }
        // NaN or out-of-range coordinates would make any two payments "faster than a plane".
        Location location = transaction.getLocation();
        if (location != null && !(Math.abs(location.getLatitude()) <= 90 && Math.abs(location.getLongitude()) <= 180)) {
            return violation(INVALID_LOCATION, "location must have a latitude within -90 to 90 and a longitude within"
                    + " -180 to 180");
        }
        return Optional.empty();
    }

    private static Optional<ContractViolation> violation(String reason, String detail) {
        return Optional.of(new ContractViolation(reason, detail));
    }

    /** "2 h 5 min", "5 min 1 ms": readable in a dead-letter browser, unlike PT2H5M. */
    static String describe(Duration duration) {
        StringJoiner text = new StringJoiner(" ");
        addPart(text, duration.toDaysPart(), "d");
        addPart(text, duration.toHoursPart(), "h");
        addPart(text, duration.toMinutesPart(), "min");
        addPart(text, duration.toSecondsPart(), "s");
        addPart(text, duration.toMillisPart(), "ms");
        return text.length() == 0 ? "less than 1 ms" : text.toString();
    }

    private static void addPart(StringJoiner text, long amount, String unit) {
        if (amount != 0) {
            text.add(amount + " " + unit);
        }
    }
}
