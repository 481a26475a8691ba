package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * ServiceAccountCheck, NetworkPolicyCheck's isolation rules, InternalTlsCheck and StoreTlsCheck, each
 * on a copy of the base broken the way the manifests once were (one account for every pod, open
 * egress on 443, internal TLS off, the catalog over plain HTTP, Redis TLS without a CA).
 */
class LeastPrivilegeChecksTest {
    private static final String ENRICHMENT = "FlinkDeployment/transactions-enrichment";
    private static final String FRAUD = "FlinkDeployment/fraud-detection";
    private static final String WAREHOUSE = "FlinkDeployment/warehouse-sink";

    @Test
    void taskManagersUnderTheJobManagersAccountAreFound() {
        var broken = edited(ENRICHMENT, d -> configuration(d).remove(ServiceAccounts.TASKMANAGER_ACCOUNT));
        assertThat(ServiceAccountCheck.check(broken)).containsExactly(
                ENRICHMENT + ": TaskManagers run under the JobManager's account transactions-enrichment-jobmanager, and"
                        + " with it may create pods; set kubernetes.taskmanager.service-account to their own",
                "ServiceAccount transactions-enrichment-jobmanager is shared by " + ENRICHMENT + " JobManager, "
                        + ENRICHMENT + " TaskManager");
    }

    @Test
    void anAccountSharedByTwoJobsIsFound() {
        var broken = edited(FRAUD, d -> ((ObjectNode) d.path("spec")).put("serviceAccount",
                "transactions-enrichment-jobmanager"));
        assertThat(ServiceAccountCheck.check(broken)).containsExactly("ServiceAccount transactions-enrichment-jobmanager"
                + " is shared by " + ENRICHMENT + " JobManager, " + FRAUD + " JobManager");
    }

    @Test
    void aBatchPodWithTheDefaultAccountOrAnUnusedTokenIsFound() {
        var broken = edited("CronJob/warehouse-expire-snapshots",
                c -> batchPod(c).put("automountServiceAccountToken", true));
        broken = edited(broken, "CronJob/warehouse-compact", c -> batchPod(c).remove("serviceAccountName"));
        assertThat(ServiceAccountCheck.check(broken)).containsExactly(
                "CronJob/warehouse-expire-snapshots: mounts the API token of tributary-warehouse-batch, which is bound"
                        + " to no Role; set automountServiceAccountToken: false",
                "CronJob/warehouse-compact: runs under ServiceAccount default, which the manifests do not define");
    }

    @Test
    void egressToEveryAddressOrEveryPeerIsFound() {
        var broken = edited("NetworkPolicy/flink-cluster-endpoints", p -> {
            ArrayNode egress = (ArrayNode) p.at("/spec/egress");
            ObjectNode anywhere = egress.addObject();
            anywhere.putArray("to").addObject().putObject("ipBlock").put("cidr", "0.0.0.0/0");
            anywhere.putArray("ports").addObject().put("port", 443);
            egress.addObject().putArray("ports").addObject().put("port", 53);
        });
        assertThat(NetworkPolicyCheck.check(broken)).containsExactly(
                "NetworkPolicy/flink-cluster-endpoints: egress to 0.0.0.0/0 admits every address; name the endpoints'"
                        + " own addresses",
                "NetworkPolicy/flink-cluster-endpoints: an egress rule without 'to' admits every address");
    }

    @Test
    void aPolicyThatLetsEveryFlinkPodReachEveryOtherIsFound() throws Exception {
        List<Manifest> broken = new ArrayList<>(RealManifests.base());
        broken.addAll(Manifests.parse("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: flink-internal
                spec:
                  podSelector:
                    matchLabels:
                      type: flink-native-kubernetes
                  policyTypes: [Ingress]
                  ingress:
                    - from:
                        - podSelector:
                            matchLabels:
                              type: flink-native-kubernetes
                """, "flink-internal.yaml"));
        List<String> complaints = NetworkPolicyCheck.check(broken);
        assertThat(complaints).hasSize(8).contains("NetworkPolicy/flink-internal: ingress of fraud-detection's jobmanager"
                + " pods from {\"matchLabels\":{\"type\":\"flink-native-kubernetes\"}}, not only its own pods"
                + " (app=fraud-detection)");
    }

    @Test
    void internalTlsOffIsFound() {
        var broken = edited(ENRICHMENT, d -> configuration(d).put(InternalTlsCheck.ENABLED, "false"));
        assertThat(InternalTlsCheck.check(broken)).containsExactly(
                ENRICHMENT + ": security.ssl.internal.enabled is not true: TaskManagers exchange records in clear");
    }

    @Test
    void aKeystoreOutsideItsSecretOrWithAnotherPasswordIsFound() {
        var broken = edited(ENRICHMENT, d -> configuration(d).put(InternalTlsCheck.KEYSTORE, "/tmp/keystore.p12"));
        broken = edited(broken, FRAUD, d -> configuration(d).put("security.ssl.internal.key-password", "changeit"));
        assertThat(InternalTlsCheck.check(broken)).containsExactly(
                ENRICHMENT + ": security.ssl.internal.keystore /tmp/keystore.p12 is not in a mounted Secret",
                FRAUD + ": security.ssl.internal.key-password is not the PKCS#12 password of Certificate"
                        + " fraud-detection-internal-tls");
    }

    @Test
    void twoJobsTrustingOneCaAreFound() {
        var broken = edited("Certificate/fraud-detection-internal-tls",
                c -> ((ObjectNode) c.at("/spec/issuerRef")).put("name", "transactions-enrichment-internal-ca"));
        assertThat(InternalTlsCheck.check(broken)).containsExactly(FRAUD + ": its certificate's issuer"
                + " transactions-enrichment-internal-ca also signs " + ENRICHMENT + "'s, so each trusts the other's pods");
    }

    @Test
    void redisTlsWithoutOurCaIsFound() {
        var withoutCa = edited(FRAUD, d -> removeArgument(d, "-Dtributary.redis.tls-ca-file="));
        assertThat(StoreTlsCheck.check(withoutCa)).containsExactly(FRAUD + ": tributary.redis.tls-ca-file null is not in"
                + " a mounted Secret: Redis's certificate is checked against no CA of ours");

        var clear = edited(withoutCa, FRAUD, d -> removeArgument(d, "-Dtributary.redis.tls="));
        assertThat(StoreTlsCheck.check(clear)).containsExactly(
                FRAUD + ": tributary.redis.tls is false: Redis's password and features cross the network in clear");
    }

    @Test
    void theCatalogOverPlainHttpWithoutCredentialsIsFound() {
        var broken = edited(WAREHOUSE, d -> {
            removeArgument(d, "-Dtributary.warehouse.catalog-oauth2-client-env=");
            ArrayNode args = JobDeploymentsCheckTest.args(d);
            for (int i = 0; i < args.size(); i++) {
                if (args.get(i).asText().startsWith("-Dtributary.warehouse.catalog-uri=")) {
                    args.set(i, "-Dtributary.warehouse.catalog-uri=http://iceberg-rest.iceberg.svc:8181");
                }
            }
        });
        assertThat(StoreTlsCheck.check(broken)).containsExactly(
                WAREHOUSE + ": tributary.warehouse.catalog-uri http://iceberg-rest.iceberg.svc:8181 is not https",
                WAREHOUSE + ": the REST catalog is reached without credentials (tributary.warehouse.catalog-oauth2-client-env)");
    }

    @Test
    void aWarehouseCommandWhoseCredentialsAreInNoSecretIsFound() {
        var broken = edited("CronJob/warehouse-compact", c -> {
            ArrayNode env = (ArrayNode) batchPod(c).at("/containers/0/env");
            for (int i = env.size() - 1; i >= 0; i--) {
                if (env.get(i).path("name").asText().equals("TRIBUTARY_ICEBERG_CREDENTIAL")) {
                    env.remove(i);
                }
            }
        });
        assertThat(StoreTlsCheck.check(broken)).containsExactly("CronJob/warehouse-compact: container tributary takes the"
                + " catalog's credentials from TRIBUTARY_ICEBERG_CREDENTIAL, which no Secret sets");
    }

    /** The base, with {@code edit} applied to a copy of the document {@code id}, in its place. */
    private static List<Manifest> edited(String id, Consumer<ObjectNode> edit) {
        return edited(RealManifests.base(), id, edit);
    }

    private static List<Manifest> edited(List<Manifest> manifests, String id, Consumer<ObjectNode> edit) {
        List<Manifest> result = new ArrayList<>();
        for (Manifest m : manifests) {
            if (m.id().equals(id)) {
                Manifest copy = m.copy();
                edit.accept((ObjectNode) copy.doc());
                result.add(copy);
            } else {
                result.add(m);
            }
        }
        assertThat(result).as("a document " + id + " to break").anyMatch(m -> m.id().equals(id));
        return result;
    }

    private static ObjectNode configuration(ObjectNode deployment) {
        return (ObjectNode) deployment.at("/spec/flinkConfiguration");
    }

    private static ObjectNode batchPod(ObjectNode cronJob) {
        return (ObjectNode) cronJob.at("/spec/jobTemplate/spec/template/spec");
    }

    private static void removeArgument(ObjectNode deployment, String prefix) {
        ArrayNode args = JobDeploymentsCheckTest.args(deployment);
        for (int i = args.size() - 1; i >= 0; i--) {
            JsonNode arg = args.get(i);
            if (arg.asText().startsWith(prefix)) {
                args.remove(i);
            }
        }
    }
}
