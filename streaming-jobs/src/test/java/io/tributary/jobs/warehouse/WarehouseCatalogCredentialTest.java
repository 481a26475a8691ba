package io.tributary.jobs.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.state.JobConfiguration;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.iceberg.flink.CatalogLoader;
import org.junit.jupiter.api.Test;

/** The REST catalog's OAuth2 client credentials: from the environment, over https only, never in the job graph. */
class WarehouseCatalogCredentialTest {
    private static final String SECRET = "tributary-warehouse-sink:s3cr3t";

    private static WarehouseCatalog catalog(String uri) {
        Map<String, String> options = new HashMap<>(Map.of(
                "tributary.warehouse.location", "s3://warehouse/",
                "tributary.warehouse.catalog-type", "REST",
                "tributary.warehouse.catalog-uri", uri,
                "tributary.warehouse.catalog-properties", "oauth2-server-uri:'https://idp.example/token',scope:catalog",
                "tributary.warehouse.catalog-oauth2-client-env", "TRIBUTARY_ICEBERG_CREDENTIAL"));
        Configuration c = JobConfiguration.resolve(null, options, WarehouseOptions.maintenanceOptions()).configuration();
        return WarehouseCatalog.from(c);
    }

    @Test
    void credentialsAreSentOverHttpsOnly() {
        assertThatThrownBy(() -> catalog("http://iceberg-rest.iceberg.svc:8181"))
                .hasMessage("tributary.warehouse.catalog-oauth2-client-env needs a REST catalog at an https://"
                        + " tributary.warehouse.catalog-uri: the credentials must not cross the network in clear");
        assertThat(catalog("https://iceberg-rest.iceberg.svc:8443").credentialVariable())
                .isEqualTo("TRIBUTARY_ICEBERG_CREDENTIAL");
    }

    @Test
    void theLoaderReadsTheCredentialWhereItOpensTheCatalogAndCarriesOnlyItsName() throws Exception {
        CatalogLoader loader = catalog("https://iceberg-rest.iceberg.svc:8443").loader();
        assertThat(loader).isInstanceOf(CredentialedRestCatalogLoader.class);

        Map<String, String> properties = ((CredentialedRestCatalogLoader) loader)
                .properties(Map.of("TRIBUTARY_ICEBERG_CREDENTIAL", SECRET)::get);
        assertThat(properties).containsEntry("credential", SECRET)
                .containsEntry("uri", "https://iceberg-rest.iceberg.svc:8443")
                .containsEntry("oauth2-server-uri", "https://idp.example/token");

        ByteArrayOutputStream serialized = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(serialized)) {
            out.writeObject(loader);
        }
        assertThat(serialized.toString(StandardCharsets.ISO_8859_1)).contains("TRIBUTARY_ICEBERG_CREDENTIAL")
                .doesNotContain("s3cr3t");
    }

    @Test
    void aMissingCredentialFailsBeforeTheJobStartsAndWhereTheCatalogOpens() {
        WarehouseCatalog catalog = catalog("https://iceberg-rest.iceberg.svc:8443");
        assertThatThrownBy(() -> catalog.requireCredential(Map.of()))
                .hasMessage("tributary.warehouse.catalog-oauth2-client-env names TRIBUTARY_ICEBERG_CREDENTIAL, which the"
                        + " environment does not set");
        assertThatThrownBy(() -> ((CredentialedRestCatalogLoader) catalog.loader()).properties(v -> null))
                .hasMessage("The Iceberg catalog's credential variable TRIBUTARY_ICEBERG_CREDENTIAL is not set in this"
                        + " process's environment");
    }
}
