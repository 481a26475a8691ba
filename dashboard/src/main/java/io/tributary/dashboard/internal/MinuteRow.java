package io.tributary.dashboard.internal;

import java.math.BigDecimal;
import java.time.Instant;

/** One row of {@code live_metrics_minute}: one minute, merchant category and country, as live-metrics wrote it. */
public record MinuteRow(Instant windowStart, String category, String country, long payments, BigDecimal amountUsd,
        long declines, long alerts) {}
