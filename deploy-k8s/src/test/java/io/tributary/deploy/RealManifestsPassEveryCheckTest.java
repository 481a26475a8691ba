package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.jobs.catalog.JobCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every document check on the committed manifests: the base and each overlay as kubectl renders it
 * pass them all. Each check's own test class shows it fails on a broken copy.
 */
class RealManifestsPassEveryCheckTest {
    /** The checks the base must pass too; the others need what only an overlay adds. */
    private static final Map<String, Function<List<Manifest>, List<String>>> BASE_AND_OVERLAYS = Map.ofEntries(
            Map.entry("JobDeploymentsCheck", JobDeploymentsCheck::check),
            Map.entry("KafkaAclCheck", KafkaAclCheck::check),
            Map.entry("SecurityCheck", SecurityCheck::check),
            Map.entry("TopicsCheck", TopicsCheck::check),
            Map.entry("WarehouseBatchCheck", WarehouseBatchCheck::check),
            Map.entry("RbacCheck", RbacCheck::check),
            Map.entry("NetworkPolicyCheck", NetworkPolicyCheck::check),
            Map.entry("ServiceAccountCheck", ServiceAccountCheck::check),
            Map.entry("InternalTlsCheck", InternalTlsCheck::check),
            Map.entry("StoreTlsCheck", StoreTlsCheck::check),
            Map.entry("CrdSchemaCheck", m -> CrdSchemaCheck.committed().check(m)),
            Map.entry("AlertRulesCheck", m -> AlertRulesCheck.check(m, DeployModule.ROOT, JobCatalog.names())),
            Map.entry("MetricNamesCheck",
                    m -> MetricNamesCheck.fromCode().check(m, Manifests.readJson(DeployModule.DASHBOARD))));
    /** The base alone has no object storage and no namespace: StateStorageCheckTest shows what it lacks. */
    private static final Map<String, Function<List<Manifest>, List<String>>> OVERLAYS_ONLY = Map.of(
            "StateStorageCheck", StateStorageCheck::check,
            "MonitoringNamespaceCheck", MonitoringNamespaceCheck::check);

    static Stream<Arguments> checks() {
        List<Arguments> cases = new ArrayList<>();
        BASE_AND_OVERLAYS.keySet().stream().sorted().forEach(check -> cases.add(Arguments.of(check, "base")));
        for (String environment : DeployModule.ENVIRONMENTS) {
            Stream.concat(BASE_AND_OVERLAYS.keySet().stream(), OVERLAYS_ONLY.keySet().stream()).sorted()
                    .forEach(check -> cases.add(Arguments.of(check, environment)));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("checks")
    void passes(String check, String manifests) {
        List<Manifest> documents = manifests.equals("base") ? RealManifests.base() : RealManifests.rendered(manifests);
        var run = BASE_AND_OVERLAYS.getOrDefault(check, OVERLAYS_ONLY.get(check));
        assertThat(run.apply(documents)).as(check + " on " + manifests).isEmpty();
    }
}
