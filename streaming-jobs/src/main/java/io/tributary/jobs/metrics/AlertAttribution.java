package io.tributary.jobs.metrics;

import io.tributary.events.EnrichedTransaction;
import io.tributary.events.FraudAlert;
import io.tributary.events.TransactionStatus;
import io.tributary.jobs.common.StateTtls;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.UUID;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by event id within the account ({@link #key}): turns each payment into its contribution to its minute, and each alert into
 * one more alert for the minute, merchant category and country of the payment it is about (an
 * alert carries neither). Keeps each payment's dimensions for the join window, so that a replayed
 * payment or alert is not counted twice within it; an alert that arrives before its payment waits
 * for it. Contributions keep the payment's event time as their timestamp.
 */
public final class AlertAttribution
        extends KeyedCoProcessFunction<String, EnrichedTransaction, FraudAlert, Contribution> {
    private static final long serialVersionUID = 1L;
    /** The category of a payment whose merchant was not known. */
    static final String UNKNOWN_CATEGORY = "unknown";

    private final Duration joinWindow;

    private transient ValueState<MinuteKey> dimensions;
    private transient MapState<String, Boolean> alertIds;
    private transient ValueState<Integer> waitingAlerts;
    private transient Counter duplicates;
    private transient Counter alertsBeforePayment;

    /**
     * The key of a payment: its event id within its account, the scope the enrichment deduplicates
     * in, so that the dashboard counts what the enriched topic holds (two accounts' payments with one
     * event id are two payments there).
     */
    static String key(EnrichedTransaction payment) {
        return key(payment.getEventId(), payment.getAccountId());
    }

    /** The key of an alert: its payment's. */
    static String key(FraudAlert alert) {
        return key(alert.getEventId(), alert.getAccountId());
    }

    /** A UUID has a fixed length, so the account after it cannot make two keys collide. */
    private static String key(UUID eventId, String accountId) {
        return eventId + "/" + accountId;
    }

    /** @param joinWindow how long a payment's dimensions and its alerts' ids are kept */
    public AlertAttribution(Duration joinWindow) {
        this.joinWindow = joinWindow;
    }

    @Override
    public void open(OpenContext context) {
        dimensions = getRuntimeContext().getState(
                StateTtls.expiringValue("payment-dimensions", TypeInformation.of(MinuteKey.class), joinWindow));
        alertIds = getRuntimeContext().getMapState(
                StateTtls.expiringMap("alert-ids", Types.STRING, Types.BOOLEAN, joinWindow));
        waitingAlerts = getRuntimeContext().getState(
                StateTtls.expiringValue("alerts-waiting-for-payment", Types.INT, joinWindow));
        var metrics = getRuntimeContext().getMetricGroup();
        duplicates = metrics.counter("duplicatesDropped");
        alertsBeforePayment = metrics.counter("alertsBeforePayment");
    }

    @Override
    public void processElement1(EnrichedTransaction payment, Context ctx, Collector<Contribution> out) throws Exception {
        if (dimensions.value() != null) {
            duplicates.inc();
            return;
        }
        String category = payment.getMerchantCategoryCode() == null ? UNKNOWN_CATEGORY : payment.getMerchantCategoryCode();
        MinuteKey key = new MinuteKey(category, payment.getCountry());
        dimensions.update(key);
        BigDecimal usd = payment.getAmountUsd();
        out.collect(Contribution.payment(category, payment.getCountry(), usd == null ? 0 : usd.doubleValue(),
                payment.getStatus() == TransactionStatus.DECLINED));
        Integer waiting = waitingAlerts.value();
        if (waiting != null) {
            for (int i = 0; i < waiting; i++) {
                out.collect(Contribution.alert(category, payment.getCountry()));
            }
            waitingAlerts.clear();
        }
    }

    @Override
    public void processElement2(FraudAlert alert, Context ctx, Collector<Contribution> out) throws Exception {
        String id = alert.getAlertId().toString();
        if (alertIds.contains(id)) {
            duplicates.inc();
            return;
        }
        alertIds.put(id, Boolean.TRUE);
        MinuteKey key = dimensions.value();
        if (key == null) {
            alertsBeforePayment.inc();
            Integer waiting = waitingAlerts.value();
            waitingAlerts.update(waiting == null ? 1 : waiting + 1);
            return;
        }
        out.collect(Contribution.alert(key.category, key.country));
    }
}
