package io.tributary.jobs.fraud;

import io.tributary.events.Evidence;
import io.tributary.events.FraudRule;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What each rule type means: which parameters it needs ({@link #problem}) and when it fires
 * ({@link #evaluate}). Limits are strict where the contract says "above" and inclusive where it says
 * "at least".
 */
public final class RuleSemantics {
    /** The most payments a velocity rule may ask for: the card keeps no more recent payment times. */
    public static final int MAX_VELOCITY_COUNT = 1_000;
    private static final double EARTH_RADIUS_KM = 6371.0088;
    private static final long MIN_TRAVEL_MILLIS = 1_000;

    private RuleSemantics() {}

    /**
     * Why a rule definition cannot be used, or null if it can.
     *
     * @param maxVelocityWindow the longest velocity window the job keeps payment times for
     */
    public static String problem(FraudRule rule, Duration maxVelocityWindow) {
        if (rule.getRuleId() == null || rule.getRuleId().isBlank()) {
            return "rule_id is empty";
        }
        if (rule.getVersion() < 1) {
            return "version must be 1 or more, got " + rule.getVersion();
        }
        return switch (rule.getType()) {
            case FEATURE_THRESHOLD -> {
                if (Feature.byName(rule.getFeature()) == null) {
                    yield "FEATURE_THRESHOLD needs feature, one of " + featureNames() + "; got " + rule.getFeature();
                }
                yield finite(rule.getThreshold()) ? null : "FEATURE_THRESHOLD needs a finite threshold";
            }
            case VELOCITY -> {
                Integer count = rule.getMinCount();
                Long seconds = rule.getWindowSeconds();
                if (count == null || count < 1 || count > MAX_VELOCITY_COUNT) {
                    yield "VELOCITY needs min_count from 1 to " + MAX_VELOCITY_COUNT + ", got " + count;
                }
                if (seconds == null || seconds < 1 || seconds > maxVelocityWindow.toSeconds()) {
                    yield "VELOCITY needs window_seconds from 1 to " + maxVelocityWindow.toSeconds() + ", got " + seconds;
                }
                yield null;
            }
            case IMPOSSIBLE_TRAVEL -> positive(rule.getMaxSpeedKmh()) ? null
                    : "IMPOSSIBLE_TRAVEL needs a positive max_speed_kmh";
            case NEW_DEVICE_HIGH_AMOUNT -> positive(rule.getMinAmountUsd()) ? null
                    : "NEW_DEVICE_HIGH_AMOUNT needs a positive min_amount_usd";
            default -> "unknown rule type " + rule.getType() + " (a newer contract than this job knows)";
        };
    }

    /** The evidence if {@code rule} fires for these facts, else null. The rule must be valid. */
    static List<Evidence> evaluate(FraudRule rule, FraudFacts facts) {
        return switch (rule.getType()) {
            case FEATURE_THRESHOLD -> {
                Feature feature = Feature.byName(rule.getFeature());
                double value = facts.feature(feature);
                yield value > rule.getThreshold()
                        ? List.of(evidence(feature.featureName(), value, rule.getThreshold(), null)) : null;
            }
            case VELOCITY -> {
                int payments = facts.card().paymentsWithin(facts.eventTime(), rule.getWindowSeconds() * 1000);
                yield payments >= rule.getMinCount()
                        ? List.of(evidence("card.payments_in_window", payments, rule.getMinCount().doubleValue(),
                                "window " + rule.getWindowSeconds() + " s")) : null;
            }
            case IMPOSSIBLE_TRAVEL -> impossibleTravel(rule, facts);
            case NEW_DEVICE_HIGH_AMOUNT -> {
                Double usd = facts.payment().amountUsd();
                yield facts.newDevice() && usd != null && usd >= rule.getMinAmountUsd()
                        ? List.of(evidence("amount_usd", usd, rule.getMinAmountUsd(), "device new to the account"))
                        : null;
            }
            default -> null;
        };
    }

    private static List<Evidence> impossibleTravel(FraudRule rule, FraudFacts facts) {
        FraudFacts.Location from = facts.previous();
        FraudFacts.Location to = facts.location();
        if (from == null || to == null) {
            return null;
        }
        double km = distanceKm(from.latitude(), from.longitude(), to.latitude(), to.longitude());
        double speed = speedKmh(km, to.time() - from.time());
        if (speed <= rule.getMaxSpeedKmh()) {
            return null;
        }
        String detail = String.format(Locale.ROOT, "%s to %s: %.0f km in %.2f h", from.country(), to.country(), km,
                (to.time() - from.time()) / 3_600_000.0);
        return List.of(evidence("travel_speed_kmh", speed, rule.getMaxSpeedKmh(), detail));
    }

    /** Speed over a distance; payments less than a second apart count as a second apart. */
    static double speedKmh(double km, long millis) {
        return km / (Math.max(Math.abs(millis), MIN_TRAVEL_MILLIS) / 3_600_000.0);
    }

    /** Great-circle distance (haversine) in kilometres. */
    static double distanceKm(double lat1, double lon1, double lat2, double lon2) {
        double dLat = Math.toRadians(lat2 - lat1);
        double dLon = Math.toRadians(lon2 - lon1);
        double a = Math.pow(Math.sin(dLat / 2), 2)
                + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * Math.pow(Math.sin(dLon / 2), 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
    }

    private static Evidence evidence(String name, double value, Double limit, String detail) {
        return Evidence.newBuilder().setName(name).setValue(value).setLimit(limit).setDetail(detail).build();
    }

    private static boolean finite(Double value) {
        return value != null && Double.isFinite(value);
    }

    private static boolean positive(Double value) {
        return finite(value) && value > 0;
    }

    private static String featureNames() {
        return java.util.Arrays.stream(Feature.values()).map(Feature::featureName).toList().toString();
    }
}
