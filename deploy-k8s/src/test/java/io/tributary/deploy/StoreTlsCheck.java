package io.tributary.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.jobs.fraud.FraudOptions;
import io.tributary.jobs.warehouse.WarehouseOptions;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;

/**
 * The stores' connections prove whom they reach and are not open to the path between: Redis over TLS
 * against a CA from a mounted Secret (the job then also checks the host name), the Iceberg REST
 * catalog over https with OAuth2 client credentials from a Secret, in the jobs and in the warehouse
 * commands alike.
 */
final class StoreTlsCheck {
    private static final String CREDENTIAL_ARGUMENT = "-D" + WarehouseOptions.CATALOG_OAUTH2_CLIENT_ENV.key() + "=";

    private StoreTlsCheck() {}

    static List<String> check(List<Manifest> manifests) {
        List<String> complaints = new ArrayList<>();
        for (DeployedJob job : DeployedJob.resolvable(manifests)) {
            Configuration c = job.configuration();
            String id = job.deployment().id();
            if (c.contains(FraudOptions.REDIS_HOST)) {
                String ca = c.get(FraudOptions.REDIS_TLS_CA_FILE);
                if (!c.get(FraudOptions.REDIS_TLS)) {
                    complaints.add(id + ": " + FraudOptions.REDIS_TLS.key() + " is false: Redis's password and features"
                            + " cross the network in clear");
                } else if (ca == null || job.deployment().secretHolding(ca).isEmpty()) {
                    complaints.add(id + ": " + FraudOptions.REDIS_TLS_CA_FILE.key() + " " + ca
                            + " is not in a mounted Secret: Redis's certificate is checked against no CA of ours");
                }
            }
            if (c.get(WarehouseOptions.CATALOG_TYPE) == WarehouseOptions.CatalogType.REST) {
                String uri = c.get(WarehouseOptions.CATALOG_URI);
                if (uri == null || !uri.startsWith("https://")) {
                    complaints.add(id + ": " + WarehouseOptions.CATALOG_URI.key() + " " + uri + " is not https");
                }
                if (!c.contains(WarehouseOptions.CATALOG_OAUTH2_CLIENT_ENV)) {
                    complaints.add(id + ": the REST catalog is reached without credentials ("
                            + WarehouseOptions.CATALOG_OAUTH2_CLIENT_ENV.key() + ")");
                }
            }
        }
        for (Manifest m : manifests) {
            SecurityCheck.batchPod(m).ifPresent(pod -> pod.path("spec").path("containers")
                    .forEach(container -> complaints.addAll(batchCredential(m.id(), container))));
        }
        return complaints;
    }

    /** A warehouse command's catalog credential variable comes from a Secret. */
    private static List<String> batchCredential(String id, JsonNode container) {
        List<String> complaints = new ArrayList<>();
        for (JsonNode arg : container.path("args")) {
            if (arg.asText().startsWith(CREDENTIAL_ARGUMENT)) {
                String variable = arg.asText().substring(CREDENTIAL_ARGUMENT.length());
                boolean fromSecret = false;
                for (JsonNode env : container.path("env")) {
                    fromSecret |= env.path("name").asText().equals(variable) && env.at("/valueFrom/secretKeyRef").isObject();
                }
                if (!fromSecret) {
                    complaints.add(id + ": container " + container.path("name").asText() + " takes the catalog's"
                            + " credentials from " + variable + ", which no Secret sets");
                }
            }
        }
        return complaints;
    }
}
