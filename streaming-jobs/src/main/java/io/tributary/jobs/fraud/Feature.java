package io.tributary.jobs.fraud;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The features fraud-detection computes for each payment, per card and per account, as of the
 * payment's event time (the payment itself included). Their names are what a rule's {@code feature}
 * names and the fields of the Redis hashes. Windows slide by the minute: the window of length W of a
 * payment at time t is the W/1min whole minutes ending with the minute of t.
 */
public enum Feature {
    CARD_COUNT_1M(Entity.CARD, "count_1m", Kind.COUNT, Duration.ofMinutes(1)),
    CARD_COUNT_10M(Entity.CARD, "count_10m", Kind.COUNT, Duration.ofMinutes(10)),
    CARD_COUNT_1H(Entity.CARD, "count_1h", Kind.COUNT, Duration.ofHours(1)),
    CARD_COUNT_24H(Entity.CARD, "count_24h", Kind.COUNT, Duration.ofHours(24)),
    CARD_SUM_USD_1M(Entity.CARD, "sum_usd_1m", Kind.SUM_USD, Duration.ofMinutes(1)),
    CARD_SUM_USD_10M(Entity.CARD, "sum_usd_10m", Kind.SUM_USD, Duration.ofMinutes(10)),
    CARD_SUM_USD_1H(Entity.CARD, "sum_usd_1h", Kind.SUM_USD, Duration.ofHours(1)),
    CARD_SUM_USD_24H(Entity.CARD, "sum_usd_24h", Kind.SUM_USD, Duration.ofHours(24)),
    CARD_DISTINCT_COUNTRIES_1H(Entity.CARD, "distinct_countries_1h", Kind.DISTINCT_COUNTRIES, Duration.ofHours(1)),
    /** Mean of the card's earlier amounts in USD (this payment excluded). */
    CARD_AMOUNT_MEAN_USD(Entity.CARD, "amount_mean_usd", Kind.AMOUNT_PROFILE, null),
    /** Standard deviation of the card's earlier amounts in USD (this payment excluded). */
    CARD_AMOUNT_STDDEV_USD(Entity.CARD, "amount_stddev_usd", Kind.AMOUNT_PROFILE, null),
    /** This amount against the card's earlier ones: (amount − mean) / deviation; 0 with fewer than 2 earlier. */
    CARD_AMOUNT_ZSCORE(Entity.CARD, "amount_zscore", Kind.AMOUNT_PROFILE, null),
    ACCOUNT_COUNT_1M(Entity.ACCOUNT, "count_1m", Kind.COUNT, Duration.ofMinutes(1)),
    ACCOUNT_COUNT_10M(Entity.ACCOUNT, "count_10m", Kind.COUNT, Duration.ofMinutes(10)),
    ACCOUNT_COUNT_1H(Entity.ACCOUNT, "count_1h", Kind.COUNT, Duration.ofHours(1)),
    ACCOUNT_COUNT_24H(Entity.ACCOUNT, "count_24h", Kind.COUNT, Duration.ofHours(24)),
    ACCOUNT_SUM_USD_1M(Entity.ACCOUNT, "sum_usd_1m", Kind.SUM_USD, Duration.ofMinutes(1)),
    ACCOUNT_SUM_USD_10M(Entity.ACCOUNT, "sum_usd_10m", Kind.SUM_USD, Duration.ofMinutes(10)),
    ACCOUNT_SUM_USD_1H(Entity.ACCOUNT, "sum_usd_1h", Kind.SUM_USD, Duration.ofHours(1)),
    ACCOUNT_SUM_USD_24H(Entity.ACCOUNT, "sum_usd_24h", Kind.SUM_USD, Duration.ofHours(24)),
    ACCOUNT_DISTINCT_COUNTRIES_1H(Entity.ACCOUNT, "distinct_countries_1h", Kind.DISTINCT_COUNTRIES, Duration.ofHours(1));

    /** Whose feature it is. */
    public enum Entity {
        CARD, ACCOUNT;

        /** The features of this entity, in declaration order (the order of the value arrays). */
        public List<Feature> features() {
            return BY_ENTITY.get(this);
        }
    }

    /** How the value is computed. */
    public enum Kind { COUNT, SUM_USD, DISTINCT_COUNTRIES, AMOUNT_PROFILE }

    /** The longest window of any feature: how much history the windows keep. */
    public static final Duration LONGEST_WINDOW = Duration.ofHours(24);

    // Computed once: the value arrays of every payment are laid out by these lists.
    private static final Map<Entity, List<Feature>> BY_ENTITY = Arrays.stream(values())
            .collect(Collectors.groupingBy(f -> f.entity, () -> new java.util.EnumMap<>(Entity.class),
                    Collectors.toUnmodifiableList()));
    private static final Map<String, Feature> BY_NAME =
            Arrays.stream(values()).collect(Collectors.toMap(Feature::featureName, Function.identity()));
    private static final int[] INDEX = new int[values().length];

    static {
        for (Entity entity : Entity.values()) {
            int i = 0;
            for (Feature feature : entity.features()) {
                INDEX[feature.ordinal()] = i++;
            }
        }
    }

    private final Entity entity;
    private final String shortName;
    private final Kind kind;
    private final Duration window;

    Feature(Entity entity, String shortName, Kind kind, Duration window) {
        this.entity = entity;
        this.shortName = shortName;
        this.kind = kind;
        this.window = window;
    }

    /** The name rules use, e.g. {@code card.sum_usd_10m}. */
    public String featureName() {
        return entity.name().toLowerCase(java.util.Locale.ROOT) + "." + shortName;
    }

    /** The name within the entity, e.g. {@code sum_usd_10m}: the field of the Redis hash. */
    public String shortName() {
        return shortName;
    }

    public Entity entity() {
        return entity;
    }

    public Kind kind() {
        return kind;
    }

    /** The window length; null for the amount profile, which covers the card's retained history. */
    public Duration window() {
        return window;
    }

    /** This feature's position in its entity's value array. */
    public int index() {
        return INDEX[ordinal()];
    }

    /** The feature a rule names, or null if there is none by that name. */
    public static Feature byName(String name) {
        return name == null ? null : BY_NAME.get(name);
    }
}
