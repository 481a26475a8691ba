package io.tributary.dashboard.internal;

import io.tributary.events.Evidence;
import io.tributary.events.FraudAlert;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What the page shows of one fraud alert: the rule that fired and why, when, and the card's token
 * (a keyed hash, never the number), shortened to what tells cards apart on screen. The account id
 * and the transaction id stay off the page: an analyst looks them up from the alert id, where
 * access to them is controlled.
 */
public record AlertView(String alertId, String ruleId, int ruleVersion, String ruleType, String severity, long eventTime,
        long detectedAt, String card, String evidence) {
    /** Characters of the card token shown: enough to tell the cards of one screen apart. */
    static final int CARD_TOKEN_SHOWN = 10;

    public static AlertView of(FraudAlert alert) {
        String token = alert.getCardToken();
        return new AlertView(alert.getAlertId().toString(), alert.getRuleId(), alert.getRuleVersion(),
                alert.getRuleType().name(), alert.getSeverity().name(), alert.getEventTime().toEpochMilli(),
                alert.getDetectedAt().toEpochMilli(),
                token.length() > CARD_TOKEN_SHOWN ? token.substring(0, CARD_TOKEN_SHOWN) + "…" : token,
                alert.getEvidence().stream().map(AlertView::evidence).collect(Collectors.joining(", ")));
    }

    /** {@code name value (limit L; detail)}; the contract keeps personal data out of the detail. */
    private static String evidence(Evidence e) {
        List<String> context = new ArrayList<>();
        if (e.getLimit() != null) {
            context.add("limit " + number(e.getLimit()));
        }
        if (e.getDetail() != null) {
            context.add(e.getDetail());
        }
        String value = e.getName() + " " + number(e.getValue());
        return context.isEmpty() ? value : value + " (" + String.join("; ", context) + ")";
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
