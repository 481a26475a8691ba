package io.tributary.jobs.metrics;

import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Adds up the contributions of one minute, merchant category and country, incrementally. */
public final class MinuteTotals implements AggregateFunction<Contribution, Contribution, Contribution> {
    private static final long serialVersionUID = 1L;

    @Override
    public Contribution createAccumulator() {
        return new Contribution();
    }

    @Override
    public Contribution add(Contribution value, Contribution total) {
        total.category = value.category;
        total.country = value.country;
        total.payments += value.payments;
        total.amountUsd += value.amountUsd;
        total.declines += value.declines;
        total.alerts += value.alerts;
        return total;
    }

    @Override
    public Contribution getResult(Contribution total) {
        return total;
    }

    @Override
    public Contribution merge(Contribution a, Contribution b) {
        return add(b, a);
    }

    /** Stamps the totals with their window's start: the row of the dashboard table. */
    public static final class AsRow extends ProcessWindowFunction<Contribution, MinuteRow, MinuteKey, TimeWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(MinuteKey key, Context context, Iterable<Contribution> totals, Collector<MinuteRow> out) {
            Contribution t = totals.iterator().next();
            out.collect(new MinuteRow(context.window().getStart(), key.category, key.country, t.payments, t.amountUsd,
                    t.declines, t.alerts));
        }
    }
}
