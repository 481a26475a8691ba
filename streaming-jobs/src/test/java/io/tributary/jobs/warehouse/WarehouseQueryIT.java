package io.tributary.jobs.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.localstack.pipeline.GeneratedTransaction;
import io.tributary.localstack.pipeline.TrafficKind;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** DuckDB through the command line over the tables that warehouse-sink wrote ({@link WarehouseFixture}); reads only. */
@ExtendWith(WarehouseFixtureExtension.class)
class WarehouseQueryIT {
    private final WarehouseFixture fixture;

    WarehouseQueryIT(WarehouseFixture fixture) {
        this.fixture = fixture;
    }

    @Test
    void aDuckDbQueryThroughTheCommandReturnsTheInputsTotals() {
        Map<String, String> expected = new TreeMap<>();
        fixture.input.stream().filter(g -> g.kind() == TrafficKind.VALID || g.kind() == TrafficKind.OUT_OF_ORDER)
                .map(GeneratedTransaction::transaction)
                .collect(Collectors.groupingBy(t -> t.getCurrency(), TreeMap::new, Collectors.toList()))
                .forEach((currency, payments) -> expected.put(currency, payments.size() + ","
                        + payments.stream().map(t -> t.getAmount()).reduce(BigDecimal.ZERO, BigDecimal::add)
                                .setScale(4, RoundingMode.UNNECESSARY).toPlainString()));

        String csv = fixture.warehouse.query("SELECT currency, count(*) AS payments, sum(amount) AS amount"
                + " FROM transactions_enriched GROUP BY currency ORDER BY currency");

        Map<String, String> actual = new TreeMap<>();
        csv.lines().skip(1).forEach(line -> actual.put(line.substring(0, line.indexOf(',')),
                line.substring(line.indexOf(',') + 1)));
        assertThat(csv.lines().findFirst()).hasValue("currency,payments,amount");
        assertThat(actual).isEqualTo(expected);
        assertThat(fixture.warehouse.query("SELECT count(*) AS n FROM fraud_alerts"))
                .isEqualTo("n\n" + fixture.alerts.size() + "\n");
    }
}
