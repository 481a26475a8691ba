package io.tributary.jobs.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.registry.SchemaRegistryConfig;
import io.tributary.state.JobConfiguration;
import io.tributary.state.SettingException;
import io.tributary.state.StateOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class SettingChecksTest {

    private static Configuration production(Map<String, String> overrides) {
        Map<String, String> options = new HashMap<>(Map.of("tributary.state.profile", "production"));
        options.putAll(overrides);
        return JobConfiguration.resolve(null, options, List.of(StateOptions.PROFILE, KafkaOptions.TRANSACTION_TIMEOUT)).configuration();
    }

    private static Configuration registry(Map<String, String> options) {
        return JobConfiguration.resolve(null, options, JobOptions.kafkaJob()).configuration();
    }

    @Test
    void registryCredentialsOverHttpAreRefusedUnlessAllowedAndATokenComesFromTheEnvironment() {
        Map<String, String> environment = Map.of("TRIBUTARY_REGISTRY_PASSWORD", "pw-123", "REGISTRY_TOKEN", "s3cr3t-bearer");
        String refusal = "Refusing to send the registry's credentials over plain http: tributary.registry.url is"
                + " http://registry:8081; use https:// (with tributary.registry.tls-ca-file for a private CA), or set"
                + " tributary.registry.allow-insecure-auth=true for a registry on this machine";
        assertThatThrownBy(() -> SettingChecks.registry(registry(Map.of("tributary.registry.url", "http://registry:8081",
                "tributary.registry.user", "svc")), environment)).isInstanceOf(SettingException.class).hasMessage(refusal);
        assertThatThrownBy(() -> SettingChecks.registry(registry(Map.of("tributary.registry.url", "http://registry:8081",
                "tributary.registry.token-env", "REGISTRY_TOKEN")), environment)).hasMessage(refusal);

        SchemaRegistryConfig local = SettingChecks.registry(registry(Map.of("tributary.registry.url",
                "http://localhost:8081", "tributary.registry.user", "svc", "tributary.registry.allow-insecure-auth",
                "true")), environment);
        assertThat(local.allowInsecureAuth()).isTrue();
        SchemaRegistryConfig bearer = SettingChecks.registry(registry(Map.of("tributary.registry.url",
                "https://registry:8081", "tributary.registry.token-env", "REGISTRY_TOKEN",
                "tributary.registry.max-retry-time", "30 s", "tributary.registry.max-id-lag", "0",
                "tributary.registry.unknown-id-cache-time", "5 s")), environment);
        assertThat(bearer.hasBearerToken()).isTrue();
        assertThat(bearer.unknownIdRetryTime()).isEqualTo(Duration.ofSeconds(30));
        assertThat(bearer.unknownIdCacheTime()).isEqualTo(Duration.ofSeconds(5));
        assertThat(local.unknownIdCacheTime()).as("the default").isEqualTo(Duration.ofSeconds(60));
        assertThat(bearer.maxIdLag()).isZero();
        assertThat(bearer.toString()).contains("token from $REGISTRY_TOKEN").doesNotContain("s3cr3t-bearer");
        assertThatThrownBy(() -> SettingChecks.registry(registry(Map.of("tributary.registry.url", "https://registry:8081",
                "tributary.registry.token-env", "NO_SUCH_TOKEN")), environment))
                .hasMessage("tributary.registry.token-env is set but the environment has no NO_SUCH_TOKEN");
        assertThat(SettingChecks.registry(registry(Map.of("tributary.registry.url", "https://registry:8081",
                "tributary.registry.tls-ca-file", "/mounted/on/the/taskmanagers/ca.crt")), environment).caFile())
                .as("read where the operators run").isEqualTo("/mounted/on/the/taskmanagers/ca.crt");
        assertThatThrownBy(() -> SettingChecks.registry(registry(Map.of("tributary.registry.url", "http://registry:8081",
                "tributary.registry.tls-ca-file", "/ca.crt")), environment))
                .hasMessage("tributary.registry.tls-ca-file is set but tributary.registry.url is not https://: the CA"
                        + " would never be used");
    }

    @Test
    void theStartUpPrintShowsTheInsecureSwitchAndNeverTheToken() {
        List<String> lines = JobConfiguration.resolve(null, Map.of("tributary.registry.url", "http://localhost:8081",
                "tributary.registry.allow-insecure-auth", "true", "tributary.registry.token-env", "REGISTRY_TOKEN"),
                JobOptions.kafkaJob()).describe();
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("tributary.registry.allow-insecure-auth = true"));
        assertThat(String.join("\n", lines)).doesNotContain("s3cr3t");
    }

    @Test
    void theProductionProfileFitsItsTransactionsWithinTheDefaultTimeout() {
        assertThat(SettingChecks.transactionTimeout(production(Map.of()))).isEqualTo(Duration.ofMinutes(14));
    }

    @Test
    void aTransactionMustOutliveEveryToleratedCheckpointFailureAndARestart() {
        // The numbers of issue 14: the broker aborts the oldest prepared transaction after two expired
        // checkpoints, yet the job tolerates three and then commits it as if nothing happened.
        Configuration issue14 = production(Map.of(
                "execution.checkpointing.timeout", "5 min",
                "execution.checkpointing.tolerable-failed-checkpoints", "3",
                "tributary.kafka.transaction-timeout", "10 min"));

        assertThatThrownBy(() -> SettingChecks.transactionTimeout(issue14))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("A transaction can stay uncommitted for (execution.checkpointing.tolerable-failed-checkpoints 3"
                        + " + 1) x (execution.checkpointing.timeout 5 min + execution.checkpointing.interval 10 s)"
                        + " + restart delay 2 min + recovery allowance 3 min = 1540 s, more than the broker's"
                        + " transaction.max.timeout.ms (15 min) allows: shorten the checkpoint timeout or tolerate"
                        + " fewer failed checkpoints");
    }

    @Test
    void aTimeoutShorterThanTheLongestUncommittedTimeIsRefusedWithItsNumbers() {
        assertThatThrownBy(() -> SettingChecks.transactionTimeout(
                production(Map.of("tributary.kafka.transaction-timeout", "11 min"))))
                .hasMessage("tributary.kafka.transaction-timeout (11 min) must exceed the longest time a checkpoint's"
                        + " transaction can stay uncommitted: (execution.checkpointing.tolerable-failed-checkpoints 2"
                        + " + 1) x (execution.checkpointing.timeout 2 min + execution.checkpointing.interval 10 s)"
                        + " + restart delay 2 min + recovery allowance 3 min = 690 s");
        assertThat(SettingChecks.transactionTimeout(production(Map.of("tributary.kafka.transaction-timeout", "12 min"))))
                .isEqualTo(Duration.ofMinutes(12));
    }

    @Test
    void theLongerOfIntervalAndMinimumPauseSeparatesTwoAttemptsAndEveryRestartStrategyHasItsDelay() {
        // A minimum pause of 90 s, longer than the interval, separates the attempts; fixed-delay restarts wait their delay.
        assertThatThrownBy(() -> SettingChecks.transactionTimeout(production(Map.of(
                "execution.checkpointing.min-pause", "90 s",
                "restart-strategy.type", "fixed-delay",
                "restart-strategy.fixed-delay.delay", "30 s"))))
                .hasMessageContaining("x (execution.checkpointing.timeout 2 min + execution.checkpointing.min-pause 90 s)"
                        + " + restart delay 30 s + recovery allowance 3 min = 14 min");
    }

    @Test
    void theBrokerRefusesATimeoutAboveItsMaximum() {
        assertThatThrownBy(() -> SettingChecks.transactionTimeout(
                production(Map.of("tributary.kafka.transaction-timeout", "16 min"))))
                .hasMessage("tributary.kafka.transaction-timeout (16 min) exceeds the broker's default"
                        + " transaction.max.timeout.ms of 15 min");
    }
}
