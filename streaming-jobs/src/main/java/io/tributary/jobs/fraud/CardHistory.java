package io.tributary.jobs.fraud;

import java.util.Arrays;

/**
 * What fraud-detection keeps of one card: its activity windows, the running mean and deviation of
 * its amounts (Welford's method, so that no amount is kept), the times of its recent payments for
 * velocity rules, and where and when it last paid for impossible-travel rules. A Flink POJO.
 */
public class CardHistory {
    public ActivityWindows windows = new ActivityWindows();
    /** Payments with a USD amount seen, and their running mean and sum of squared deviations. */
    public long amounts;
    public double amountMean;
    public double amountM2;
    /** Event times of the payments within the longest velocity window, ascending. */
    public long[] recentTimes = new long[0];
    /** The previous payment with a known location; {@code lastTime} is Long.MIN_VALUE if none. */
    public long lastTime = Long.MIN_VALUE;
    public double lastLatitude;
    public double lastLongitude;
    public String lastCountry;
    /** Event time of the card's newest payment: when it has been idle long enough, it is forgotten. */
    public long lastActivity = Long.MIN_VALUE;

    public CardHistory() {}

    /** The standard deviation of the amounts seen so far (population), 0 below two. */
    public double amountStddev() {
        return amounts < 2 ? 0 : Math.sqrt(amountM2 / amounts);
    }

    /** How far {@code amountUsd} lies from the card's earlier amounts, in deviations; 0 if unknown. */
    public double zscore(double amountUsd) {
        double stddev = amountStddev();
        return stddev == 0 ? 0 : (amountUsd - amountMean) / stddev;
    }

    void addAmount(double amountUsd) {
        amounts++;
        double delta = amountUsd - amountMean;
        amountMean += delta / amounts;
        amountM2 += delta * (amountUsd - amountMean);
    }

    /** Payments in (eventTime − windowMillis, eventTime], this one included once it was added. */
    public int paymentsWithin(long eventTime, long windowMillis) {
        int n = 0;
        for (long t : recentTimes) {
            if (t > eventTime - windowMillis && t <= eventTime) {
                n++;
            }
        }
        return n;
    }

    /** Adds a payment time and forgets those older than {@code keepMillis} before it, keeping at most {@code maxKept}. */
    void addRecent(long eventTime, long keepMillis, int maxKept) {
        int at = Arrays.binarySearch(recentTimes, eventTime);
        at = at < 0 ? -at - 1 : at;
        long[] next = new long[recentTimes.length + 1];
        System.arraycopy(recentTimes, 0, next, 0, at);
        next[at] = eventTime;
        System.arraycopy(recentTimes, at, next, at + 1, recentTimes.length - at);
        long newest = next[next.length - 1];
        int from = 0;
        while (from < next.length && (next[from] <= newest - keepMillis || next.length - from > maxKept)) {
            from++;
        }
        recentTimes = from == 0 ? next : Arrays.copyOfRange(next, from, next.length);
    }
}
