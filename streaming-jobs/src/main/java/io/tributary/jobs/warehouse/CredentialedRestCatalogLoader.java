package io.tributary.jobs.warehouse;

import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.rest.auth.OAuth2Properties;

/**
 * Loads the REST catalog with OAuth2 client credentials read from an environment variable of the
 * process that opens it. Iceberg's own REST loader keeps every property, a credential included, in
 * the serialized loader, which travels in the job graph to the TaskManagers (and into the HA store);
 * this one carries only the variable's name.
 */
final class CredentialedRestCatalogLoader implements CatalogLoader {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final Map<String, String> properties;
    private final String variable;

    CredentialedRestCatalogLoader(String name, Map<String, String> properties, String variable) {
        this.name = name;
        this.properties = Map.copyOf(properties);
        this.variable = variable;
    }

    @Override
    public Catalog loadCatalog() {
        return CatalogLoader.rest(name, new org.apache.hadoop.conf.Configuration(), properties(System::getenv))
                .loadCatalog();
    }

    /** The catalog's properties with the credential from {@code environment}. */
    Map<String, String> properties(UnaryOperator<String> environment) {
        String credential = environment.apply(variable);
        if (credential == null || credential.isBlank()) {
            throw new IllegalStateException("The Iceberg catalog's credential variable " + variable
                    + " is not set in this process's environment");
        }
        Map<String, String> withCredential = new HashMap<>(properties);
        withCredential.put(OAuth2Properties.CREDENTIAL, credential);
        return withCredential;
    }

    @Override
    public CatalogLoader clone() {
        // Immutable, so a copy would be the same.
        return this;
    }

    @Override
    public String toString() {
        return "REST catalog " + name + " " + properties + ", credential from $" + variable;
    }
}
