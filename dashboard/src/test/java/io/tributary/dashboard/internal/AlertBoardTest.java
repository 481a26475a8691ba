package io.tributary.dashboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AlertBoardTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:30:00Z");

    @Test
    void countsEachRuleVersionWithinTheWindowAndListsTheNewestFirst() {
        AlertBoard board = new AlertBoard(2, Duration.ofMinutes(10));
        board.add(alert("a1", "burst", 1, NOW.minusSeconds(30)));
        board.add(alert("a3", "burst", 2, NOW.minusSeconds(10)));
        board.add(alert("a2", "travel", 1, NOW.minusSeconds(20)));
        board.add(alert("a4", "burst", 2, NOW.minusSeconds(5)));

        AlertBoard.Alerts view = board.view(NOW);

        assertThat(view.byRule()).containsExactly(new AlertBoard.RuleCount("burst", 2, 2),
                new AlertBoard.RuleCount("burst", 1, 1), new AlertBoard.RuleCount("travel", 1, 1));
        assertThat(view.latest()).extracting(AlertView::alertId).containsExactly("a4", "a3");
    }

    @Test
    void minutesThatLeaveTheWindowLeaveTheCounts() {
        AlertBoard board = new AlertBoard(5, Duration.ofMinutes(10));
        board.add(alert("old", "burst", 1, NOW.minus(Duration.ofMinutes(11))));
        board.add(alert("new", "burst", 1, NOW.minus(Duration.ofMinutes(9))));

        assertThat(board.view(NOW).byRule()).containsExactly(new AlertBoard.RuleCount("burst", 1, 1));
        assertThat(board.view(NOW.plus(Duration.ofMinutes(2))).byRule()).isEmpty();
    }

    @Test
    void anAlertReadLateStillListsInDetectionOrder() {
        AlertBoard board = new AlertBoard(3, Duration.ofMinutes(10));
        board.add(alert("second", "burst", 1, NOW.minusSeconds(10)));
        board.add(alert("first", "burst", 1, NOW.minusSeconds(20)));

        assertThat(board.view(NOW).latest()).extracting(AlertView::alertId).containsExactly("second", "first");
    }

    static AlertView alert(String id, String rule, int version, Instant detectedAt) {
        return new AlertView(id, rule, version, "VELOCITY", "HIGH", detectedAt.toEpochMilli() - 1000,
                detectedAt.toEpochMilli(), "tok", "card.count_1s 6 (limit 6)");
    }
}
