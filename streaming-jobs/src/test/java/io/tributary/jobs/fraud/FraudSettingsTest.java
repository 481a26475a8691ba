package io.tributary.jobs.fraud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.state.JobConfiguration;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class FraudSettingsTest {
    private static Configuration configuration(Map<String, String> extra) {
        Map<String, String> options = new HashMap<>(Map.of(
                "tributary.kafka.bootstrap-servers", "localhost:9092",
                "tributary.registry.url", "http://localhost:8081",
                "tributary.redis.host", "localhost"));
        options.putAll(extra);
        return JobConfiguration.resolve(null, options, FraudOptions.all()).configuration();
    }

    @Test
    void readsTheDefaultsOfTheJob() {
        FraudSettings settings = FraudSettings.from(configuration(Map.of()), Map.of());

        assertThat(settings.kafka().groupId()).isEqualTo("fraud-detection");
        assertThat(settings.delivery().transactionalIdPrefix()).isEqualTo("tributary-fraud-detection");
        assertThat(settings.topics()).isEqualTo(new FraudSettings.Topics("payments.transactions.enriched.v1",
                "fraud.rules.v1", "fraud.alerts.v1", "payments.transactions.dlq.v1", "gdpr.erasure-requests.v1"));
        assertThat(settings.maxVelocityWindow()).isEqualTo(Duration.ofHours(1));
        assertThat(settings.redis().port()).isEqualTo(6379);
        assertThat(settings.redis().passwordVariable()).isNull();
        assertThat(settings.alertDelivery()).isEqualTo(AlertDelivery.EXACTLY_ONCE);
    }

    @Test
    void lowLatencyAlertsAreChosenByTheirNameAndAnUnknownDeliveryIsRefused() {
        assertThat(FraudSettings.from(configuration(Map.of("tributary.fraud.alert-delivery", "low-latency")), Map.of())
                .alertDelivery()).isEqualTo(AlertDelivery.LOW_LATENCY);
        assertThatThrownBy(() -> configuration(Map.of("tributary.fraud.alert-delivery", "fast")))
                .hasMessageStartingWith("Invalid value 'fast' for tributary.fraud.alert-delivery");
    }

    @Test
    void redisIsRequiredAndItsUserNeedsAPassword() {
        Map<String, String> noRedis = new HashMap<>(Map.of(
                "tributary.kafka.bootstrap-servers", "localhost:9092", "tributary.registry.url", "http://localhost:8081"));
        assertThatThrownBy(() -> FraudSettings.from(
                JobConfiguration.resolve(null, noRedis, FraudOptions.all()).configuration(), Map.of()))
                .hasMessage("Missing required option tributary.redis.host");
        assertThatThrownBy(() -> FraudSettings.from(configuration(Map.of("tributary.redis.user", "fraud")), Map.of()))
                .hasMessage("tributary.redis.user is set but the environment has no TRIBUTARY_REDIS_PASSWORD");
        assertThat(FraudSettings.from(configuration(Map.of("tributary.redis.user", "fraud")),
                Map.of("TRIBUTARY_REDIS_PASSWORD", "secret")).redis().passwordVariable())
                .isEqualTo("TRIBUTARY_REDIS_PASSWORD");
    }

    @Test
    void aRedisCaFileNeedsTls() {
        assertThatThrownBy(() -> FraudSettings.from(configuration(Map.of("tributary.redis.tls-ca-file", "/ca.crt")),
                Map.of()))
                .hasMessage("tributary.redis.tls-ca-file is set but tributary.redis.tls is false: the CA would never be used");
        FraudSettings.Redis redis = FraudSettings.from(configuration(Map.of("tributary.redis.tls", "true",
                "tributary.redis.tls-ca-file", "/ca.crt")), Map.of()).redis();
        assertThat(redis.tls()).isTrue();
        assertThat(redis.tlsCaFile()).isEqualTo("/ca.crt");
    }

    @Test
    void aCardMustBeKeptAtLeastAsLongAsTheLongestVelocityWindow() {
        assertThatThrownBy(() -> FraudSettings.from(configuration(Map.of(
                "tributary.fraud.max-velocity-window", "2 h", "tributary.fraud.card-retention", "1 h")), Map.of()))
                .hasMessage("tributary.fraud.card-retention (PT1H) must be at least tributary.fraud.max-velocity-window (PT2H)");
    }
}
