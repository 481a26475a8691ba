package io.tributary.localstack.pipeline;

import io.tributary.events.AccountProfile;
import io.tributary.events.FxRate;
import io.tributary.events.Location;
import io.tributary.events.Merchant;
import io.tributary.events.PaymentChannel;
import io.tributary.events.RiskLevel;
import io.tributary.events.Transaction;
import io.tributary.events.TransactionStatus;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;

/**
 * Realistic, reproducible payment traffic: accounts with cards and a home country, merchants with
 * category codes, currencies with hourly rates, and a stream of authorizations with producer
 * retries (duplicates), out-of-order and late events, and malformed records, in the proportions
 * of {@link Options}. Account activity is skewed: a few accounts pay far more often than most,
 * within a pause between two payments of one account ({@link Options#accountPause}). Card-present
 * payments happen at the merchants of the account's home country, at each merchant's own place;
 * payments abroad are made online. So clean traffic moves no card faster than a car and sends no
 * burst, and the fraud rules fire on the labelled patterns of {@link Options#fraudRate}, not on
 * the traffic around them. The same seed gives the same traffic.
 */
public final class PaymentEventGenerator {
    /** A merchant country and the currency it charges in. */
    private record Country(String code, String currency, double latitude, double longitude, String city) {}

    private static final List<Country> COUNTRIES = List.of(
            new Country("DE", "EUR", 52.52, 13.405, "Berlin"),
            new Country("FR", "EUR", 48.8566, 2.3522, "Paris"),
            new Country("NL", "EUR", 52.3676, 4.9041, "Amsterdam"),
            new Country("ES", "EUR", 40.4168, -3.7038, "Madrid"),
            new Country("GB", "GBP", 51.5072, -0.1276, "London"),
            new Country("CH", "CHF", 47.3769, 8.5417, "Zurich"),
            new Country("US", "USD", 40.7128, -74.006, "New York"),
            new Country("JP", "JPY", 35.6762, 139.6503, "Tokyo"));
    private static final Map<String, Country> COUNTRIES_BY_CODE =
            COUNTRIES.stream().collect(java.util.stream.Collectors.toMap(Country::code, c -> c));
    /** Rough rates to USD around which the generated rates wander. */
    private static final Map<String, Double> USD_RATES =
            Map.of("EUR", 1.08, "GBP", 1.27, "CHF", 1.12, "USD", 1.0, "JPY", 0.0067);
    /** Merchant category codes and a typical amount in USD. */
    private static final String[][] CATEGORIES = {
        {"5411", "Grocery", "45"}, {"5812", "Restaurant", "38"}, {"5541", "Fuel", "60"},
        {"5732", "Electronics", "320"}, {"4111", "Transit", "6"}, {"5999", "Online shop", "75"},
        {"7011", "Hotel", "240"}, {"6011", "Cash", "150"}};
    private static final String CASH_CATEGORY = "6011";

    private final Options options;
    private final Random random;
    private final List<AccountProfile> accounts = new ArrayList<>();
    private final List<List<String>> cardsByAccount = new ArrayList<>();
    private final List<Merchant> merchants = new ArrayList<>();
    /** Indexes into {@link #merchants}, by merchant country. */
    private final Map<String, List<Integer>> merchantsByCountry = new java.util.HashMap<>();
    /** Where each merchant is (latitude, longitude), by merchant index: within a few km of its city. */
    private final List<double[]> merchantPlaces = new ArrayList<>();
    /** Event time (epoch ms) of each account's last new payment; for the pause between two. */
    private final long[] lastPaidMillis;
    private final List<Transaction> recent = new ArrayList<>();
    /** The rest of a fraud pattern, emitted before anything else. */
    private final java.util.ArrayDeque<GeneratedTransaction> pattern = new java.util.ArrayDeque<>();
    private Instant clock;
    private long elapsedNanos;
    private long sequence;
    /** Fraud patterns made so far: the number of the latest. */
    private long patterns;

    public PaymentEventGenerator(Options options) {
        this.options = Objects.requireNonNull(options, "options");
        this.random = new Random(options.seed);
        this.clock = options.start;
        this.lastPaidMillis = new long[options.accounts];
        // Far enough in the past to be free, and far enough from Long.MIN_VALUE not to overflow a subtraction.
        java.util.Arrays.fill(lastPaidMillis, Long.MIN_VALUE / 2);
        for (int i = 0; i < options.accounts; i++) {
            accounts.add(account(i));
            int cards = 1 + random.nextInt(2);
            List<String> numbers = new ArrayList<>();
            for (int c = 0; c < cards; c++) {
                numbers.add(cardNumber());
            }
            cardsByAccount.add(numbers);
        }
        // Places come from their own stream, so that they do not shift the rest of the traffic.
        Random places = new Random(options.seed + 2);
        for (int i = 0; i < options.merchants; i++) {
            Merchant merchant = merchant(i);
            merchants.add(merchant);
            Country country = country(merchant.getCountry());
            merchantPlaces.add(new double[] {country.latitude + places.nextGaussian() * 0.01,
                country.longitude + places.nextGaussian() * 0.01});
            merchantsByCountry.computeIfAbsent(merchant.getCountry(), c -> new ArrayList<>()).add(i);
        }
    }

    /** The account profiles, as of the start time. */
    public List<AccountProfile> accounts() {
        return List.copyOf(accounts);
    }

    /** The merchants, as of the start time. */
    public List<Merchant> merchants() {
        return List.copyOf(merchants);
    }

    /** One rate per currency and hour, from one hour before {@code from} up to {@code to}. */
    public List<FxRate> fxRates(Instant from, Instant to) {
        List<FxRate> rates = new ArrayList<>();
        Random walk = new Random(options.seed + 1);
        for (String currency : USD_RATES.keySet().stream().sorted().toList()) {
            if (currency.equals("USD")) {
                continue;
            }
            double rate = USD_RATES.get(currency);
            for (Instant t = from.minus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.HOURS);
                    !t.isAfter(to); t = t.plus(Duration.ofHours(1))) {
                rate *= 1 + (walk.nextGaussian() * 0.002);
                rates.add(FxRate.newBuilder().setCurrency(currency)
                        .setRateToUsd(BigDecimal.valueOf(rate).setScale(10, RoundingMode.HALF_EVEN))
                        .setValidFrom(t).setSource("ECB").build());
            }
        }
        return rates;
    }

    /** The event time of the newest in-order event so far. */
    public Instant clock() {
        return clock;
    }

    /** The next record of the transaction stream. */
    public GeneratedTransaction next() {
        if (!pattern.isEmpty()) {
            return pattern.poll();
        }
        if (options.fraudRate > 0 && random.nextDouble() < options.fraudRate) {
            fraudPattern();
            return pattern.poll();
        }
        double roll = random.nextDouble();
        if (roll < options.duplicateRate) {
            if (!recent.isEmpty()) {
                return new GeneratedTransaction(TrafficKind.DUPLICATE, recent.get(random.nextInt(recent.size())));
            }
            roll = 1; // nothing to repeat yet: a plain new event
        } else {
            roll -= options.duplicateRate;
        }
        // Exponential gaps (a Poisson stream) with the configured mean, kept in nanoseconds so that
        // sub-millisecond means add up; event times are whole milliseconds, as in the contract.
        elapsedNanos += (long) (-Math.log(1 - random.nextDouble()) * options.meanGap.toNanos());
        clock = options.start.plusMillis(elapsedNanos / 1_000_000);
        TrafficKind kind = TrafficKind.VALID;
        Instant eventTime = clock;
        if (roll < options.malformedRate) {
            TrafficKind[] rejected = {TrafficKind.MALFORMED_NOT_AVRO, TrafficKind.MALFORMED_TRUNCATED,
                TrafficKind.MALFORMED_UNKNOWN_SCHEMA_ID, TrafficKind.INVALID_NON_POSITIVE_AMOUNT,
                TrafficKind.INVALID_UNKNOWN_CURRENCY};
            kind = rejected[random.nextInt(rejected.length)];
        } else if ((roll -= options.malformedRate) < options.lateRate && sequence >= options.lateAfter) {
            kind = TrafficKind.LATE;
            eventTime = clock.minus(options.lateBy).minusMillis(random.nextInt(1000));
        } else if ((roll -= options.lateRate) < options.outOfOrderRate) {
            kind = TrafficKind.OUT_OF_ORDER;
            eventTime = clock.minusMillis(1 + random.nextInt((int) Math.max(1, options.maxOutOfOrder.toMillis())));
        }
        Transaction transaction = transaction(eventTime);
        if (kind == TrafficKind.INVALID_NON_POSITIVE_AMOUNT) {
            transaction.setAmount(transaction.getAmount().negate());
        } else if (kind == TrafficKind.INVALID_UNKNOWN_CURRENCY) {
            transaction.setCurrency("XXY");
        }
        if (!kind.rejected()) {
            remember(transaction);
        }
        return new GeneratedTransaction(kind, transaction);
    }

    /** Queues one labelled fraud pattern, starting at the current clock. */
    private void fraudPattern() {
        elapsedNanos += options.meanGap.toNanos();
        clock = options.start.plusMillis(elapsedNanos / 1_000_000);
        Transaction first = transaction(clock);
        long number = ++patterns;
        switch (random.nextInt(3)) {
            case 0 -> {
                for (int i = 0; i < 6; i++) {
                    Transaction t = i == 0 ? first : transaction(clock.plusMillis(i * 150L));
                    t.setAccountId(first.getAccountId());
                    t.setCardNumber(first.getCardNumber());
                    t.setAmount(BigDecimal.valueOf(1 + random.nextInt(2)).setScale(4));
                    t.setCurrency("USD");
                    // Stolen card numbers are tested online, not at a till.
                    t.setChannel(PaymentChannel.ECOMMERCE);
                    t.setLocation(null);
                    pattern.add(new GeneratedTransaction(TrafficKind.FRAUD_CARD_TESTING, t, number));
                }
            }
            case 1 -> {
                Country far = country("JP");
                Transaction second = transaction(clock.plusMillis(200));
                second.setAccountId(first.getAccountId());
                second.setCardNumber(first.getCardNumber());
                second.setCountry(far.code);
                second.setLocation(Location.newBuilder().setLatitude(far.latitude).setLongitude(far.longitude)
                        .setCity(far.city).build());
                first.setCountry("US");
                first.setLocation(Location.newBuilder().setLatitude(40.7128).setLongitude(-74.006).setCity("New York")
                        .build());
                pattern.add(new GeneratedTransaction(TrafficKind.FRAUD_IMPOSSIBLE_TRAVEL, first, number));
                pattern.add(new GeneratedTransaction(TrafficKind.FRAUD_IMPOSSIBLE_TRAVEL, second, number));
            }
            default -> {
                first.setAmount(BigDecimal.valueOf(8_000 + random.nextInt(2_000)).setScale(4));
                first.setCurrency("USD");
                first.setDeviceId("dev-new-" + sequence);
                pattern.add(new GeneratedTransaction(TrafficKind.FRAUD_AMOUNT_SPIKE, first, number));
            }
        }
        pattern.forEach(g -> remember(g.transaction()));
    }

    private void remember(Transaction transaction) {
        if (recent.size() < 1000) {
            recent.add(transaction);
        } else {
            recent.set(random.nextInt(recent.size()), transaction);
        }
    }

    private Transaction transaction(Instant eventTime) {
        int accountIndex = payingAccount(eventTime);
        AccountProfile account = accounts.get(accountIndex);
        List<String> cards = cardsByAccount.get(accountIndex);
        // Mostly at home, as cards are: nine payments in ten at a merchant of the account's country.
        List<Integer> local = merchantsByCountry.getOrDefault(account.getHomeCountry(), List.of());
        int merchantIndex = !local.isEmpty() && random.nextDouble() < 0.9 ? local.get(random.nextInt(local.size()))
                : random.nextInt(merchants.size());
        Merchant merchant = merchants.get(merchantIndex);
        boolean abroad = !merchant.getCountry().equals(account.getHomeCountry());
        if (abroad && merchant.getCategoryCode().equals(CASH_CATEGORY) && !local.isEmpty()) {
            // Cash comes from a machine, card in hand: abroad that would be travel. Stay at home.
            merchantIndex = local.get(random.nextInt(local.size()));
            merchant = merchants.get(merchantIndex);
            abroad = false;
        }
        Country country = country(merchant.getCountry());
        String[] category = category(merchant.getCategoryCode());
        boolean cash = category[0].equals(CASH_CATEGORY);
        // Cash is taken from a machine, card in hand; an online shop is online; abroad is online here.
        boolean online = !cash && (category[0].equals("5999") || random.nextDouble() < 0.25 || abroad);
        double usd = Double.parseDouble(category[2]) * Math.exp(random.nextGaussian() * 0.8);
        int scale = country.currency.equals("JPY") ? 0 : 2;
        BigDecimal amount = BigDecimal.valueOf(Math.max(0.5, usd / USD_RATES.get(country.currency)))
                .setScale(scale, RoundingMode.HALF_EVEN).setScale(4);
        sequence++;
        double[] place = merchantPlaces.get(merchantIndex);
        return Transaction.newBuilder()
                .setEventId(new UUID(random.nextLong(), random.nextLong()))
                .setTransactionId("tx-" + options.seed + "-" + sequence)
                .setAccountId(account.getAccountId())
                .setCardNumber(cards.get(random.nextInt(cards.size())))
                .setMerchantId(merchant.getMerchantId())
                .setAmount(amount)
                .setCurrency(country.currency)
                .setEventTime(eventTime)
                .setStatus(random.nextDouble() < 0.06 ? TransactionStatus.DECLINED : TransactionStatus.AUTHORIZED)
                .setChannel(cash ? PaymentChannel.ATM
                        : online ? (random.nextBoolean() ? PaymentChannel.ECOMMERCE : PaymentChannel.MOBILE)
                        : PaymentChannel.POS)
                .setCountry(country.code)
                .setDeviceId(online ? "dev-" + account.getAccountId() + "-" + random.nextInt(2)
                        : "pos-" + merchant.getMerchantId())
                .setIpAddress(online ? ipAddress() : null)
                .setEmail(online ? account.getEmail() : null)
                // Where the card was: the merchant's place, known for card-present payments only.
                .setLocation(online ? null : Location.newBuilder()
                        .setLatitude(place[0]).setLongitude(place[1]).setCity(country.city).build())
                .build();
    }

    /**
     * The account of the next payment: a skewed pick that has not paid within the pause. When every
     * pick tried has, the last one pays anyway: too few accounts for the rate then make the busiest
     * pay sooner, rather than no payment being made.
     */
    private int payingAccount(Instant eventTime) {
        long now = eventTime.toEpochMilli();
        long pause = options.accountPause.toMillis();
        int account = skewedAccount();
        for (int tries = 0; pause > 0 && tries < 64 && now - lastPaidMillis[account] < pause; tries++) {
            // Skewed retries first, then uniform ones: a busy hot account hands its payment to a quieter one.
            account = tries < 16 ? skewedAccount() : random.nextInt(options.accounts);
        }
        lastPaidMillis[account] = Math.max(lastPaidMillis[account], now);
        return account;
    }

    private static Country country(String code) {
        Country country = COUNTRIES_BY_CODE.get(code);
        if (country == null) {
            throw new IllegalStateException("unknown country " + code);
        }
        return country;
    }

    /** Roughly Zipf: account i is picked about 1/(i+1) as often as account 0. */
    private int skewedAccount() {
        double u = random.nextDouble();
        return (int) Math.min(options.accounts - 1, Math.floor(Math.exp(u * Math.log(options.accounts + 1)) - 1));
    }

    private AccountProfile account(int i) {
        Country home = COUNTRIES.get(random.nextInt(COUNTRIES.size()));
        String id = String.format("acc-%06d", i);
        return AccountProfile.newBuilder()
                .setAccountId(id)
                .setCustomerName(FIRST[random.nextInt(FIRST.length)] + " " + LAST[random.nextInt(LAST.length)])
                .setEmail("customer" + i + "@example." + home.code.toLowerCase())
                .setRiskTier(random.nextDouble() < 0.05 ? RiskLevel.HIGH
                        : random.nextDouble() < 0.2 ? RiskLevel.MEDIUM : RiskLevel.LOW)
                .setHomeCountry(home.code)
                .setOpenedAt(options.start.minus(Duration.ofDays(30 + random.nextInt(3000))))
                .setUpdatedAt(options.start.minus(Duration.ofDays(1 + random.nextInt(30))))
                .build();
    }

    private Merchant merchant(int i) {
        Country country = COUNTRIES.get(random.nextInt(COUNTRIES.size()));
        String[] category = CATEGORIES[random.nextInt(CATEGORIES.length)];
        return Merchant.newBuilder()
                .setMerchantId(String.format("m-%05d", i))
                .setName(category[1] + " " + country.city + " " + i)
                .setCategoryCode(category[0])
                .setCountry(country.code)
                .setRiskLevel(random.nextDouble() < 0.1 ? RiskLevel.HIGH : RiskLevel.LOW)
                .setUpdatedAt(options.start.minus(Duration.ofDays(1 + random.nextInt(90))))
                .build();
    }

    private static String[] category(String code) {
        for (String[] category : CATEGORIES) {
            if (category[0].equals(code)) {
                return category;
            }
        }
        throw new IllegalStateException("unknown category " + code);
    }

    /** A 16-digit card number with a valid Luhn check digit. */
    private String cardNumber() {
        int[] digits = new int[16];
        digits[0] = random.nextBoolean() ? 4 : 5;
        for (int i = 1; i < 15; i++) {
            digits[i] = random.nextInt(10);
        }
        int sum = 0;
        for (int i = 0; i < 15; i++) {
            int d = digits[14 - i];
            if (i % 2 == 0) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
        }
        digits[15] = (10 - sum % 10) % 10;
        StringBuilder number = new StringBuilder();
        for (int d : digits) {
            number.append(d);
        }
        return number.toString();
    }

    private String ipAddress() {
        return "203.0." + random.nextInt(256) + "." + (1 + random.nextInt(254));
    }

    private static final String[] FIRST = {"Ada", "Grace", "Alan", "Linus", "Margaret", "Ken", "Barbara", "Dennis"};
    private static final String[] LAST = {"Lovelace", "Hopper", "Turing", "Torvalds", "Hamilton", "Thompson",
        "Liskov", "Ritchie"};

    /** The shape of the generated traffic. */
    public static final class Options {
        private long seed = 42;
        private int accounts = 1_000;
        private int merchants = 200;
        private Instant start = Instant.parse("2026-11-27T08:00:00Z");
        private Duration meanGap = Duration.ofMillis(20);
        private double duplicateRate = 0.05;
        private double outOfOrderRate = 0.05;
        private Duration maxOutOfOrder = Duration.ofSeconds(3);
        private double lateRate = 0.005;
        private Duration lateBy = Duration.ofMinutes(10);
        private double malformedRate = 0.01;
        private long lateAfter = 0;
        private double fraudRate = 0;
        private Duration accountPause = Duration.ZERO;

        /** Same seed, same traffic (default 42). */
        public Options seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Number of accounts (default 1,000). */
        public Options accounts(int accounts) {
            this.accounts = positive(accounts, "accounts");
            return this;
        }

        /** Number of merchants (default 200). */
        public Options merchants(int merchants) {
            this.merchants = positive(merchants, "merchants");
            return this;
        }

        /** Event time of the first event. */
        public Options start(Instant start) {
            this.start = Objects.requireNonNull(start, "start");
            return this;
        }

        /** Mean event-time gap between two new events (default 20 ms). */
        public Options meanGap(Duration gap) {
            if (gap.isNegative()) {
                throw new IllegalArgumentException("meanGap must not be negative");
            }
            this.meanGap = gap;
            return this;
        }

        /** Share of records that re-send an earlier event (default 5%). */
        public Options duplicateRate(double rate) {
            this.duplicateRate = share(rate, "duplicateRate");
            return this;
        }

        /** Share of new events out of order, by up to {@code maxBehind} (default 5%, 3 s). */
        public Options outOfOrder(double rate, Duration maxBehind) {
            this.outOfOrderRate = share(rate, "outOfOrderRate");
            this.maxOutOfOrder = Objects.requireNonNull(maxBehind, "maxBehind");
            return this;
        }

        /** Share of new events late by {@code by} or more (default 0.5%, 10 minutes). */
        public Options late(double rate, Duration by) {
            this.lateRate = share(rate, "lateRate");
            this.lateBy = Objects.requireNonNull(by, "by");
            return this;
        }

        /**
         * Share of records the pipeline must reject (default 1%): undecodable bytes, and events that
         * break the contract (amount not positive, unknown currency).
         */
        public Options malformedRate(double rate) {
            this.malformedRate = share(rate, "malformedRate");
            return this;
        }

        /**
         * No late event among the first {@code events} new events (default 0): a job can only judge an
         * event late once it has a watermark, which its first records do not have yet.
         */
        public Options lateAfter(long events) {
            this.lateAfter = events;
            return this;
        }

        /**
         * Share of new events that start a labelled fraud pattern (default 0): card testing (six
         * small payments of one card within a second), impossible travel (New York, then Tokyo 200 ms
         * later) or an amount spike (about 8,000 dollars on a new device). Off by default. The
         * traffic around them is clean of these shapes only with an {@link #accountPause}.
         */
        public Options fraudRate(double rate) {
            this.fraudRate = share(rate, "fraudRate");
            return this;
        }

        /**
         * Event time an account waits after a payment before its next one, while other accounts are
         * free (default 0: as often as the skew picks it). People pay a few times a day: with a
         * pause of a minute or more, clean traffic sends no card-testing burst and no card moves
         * faster than a car between two merchants of its city. Too few accounts for the rate
         * (fewer than rate x pause) weaken the pause, as the busiest then pay sooner.
         */
        public Options accountPause(Duration pause) {
            if (pause.isNegative()) {
                throw new IllegalArgumentException("accountPause must not be negative");
            }
            this.accountPause = pause;
            return this;
        }

        private static int positive(int value, String name) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, got " + value);
            }
            return value;
        }

        private static double share(double value, String name) {
            if (value < 0 || value > 0.5) {
                throw new IllegalArgumentException(name + " must be between 0 and 0.5, got " + value);
            }
            return value;
        }
    }
}
