package io.tributary.jobs.warehouse;

import io.tributary.jobs.common.Dataset;
import io.tributary.jobs.common.SettingChecks;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.flink.TableLoader;

/**
 * The warehouse's Iceberg catalog: where the tables are, how jobs load them, and their creation and
 * evolution from the contracts. Serializable, as its loaders travel with the operators.
 * {@code credentialVariable}, if not null, names the environment variable with the REST catalog's
 * OAuth2 client credentials: only its name travels, each process reads the value itself.
 */
public record WarehouseCatalog(WarehouseOptions.CatalogType type, String location, String uri,
        Map<String, String> properties, String namespace, String credentialVariable) implements Serializable {

    private static final String CATALOG_NAME = "tributary";

    /** Reads and checks the catalog settings; one clear line for a missing or inconsistent one. */
    public static WarehouseCatalog from(Configuration c) {
        WarehouseOptions.CatalogType type = c.get(WarehouseOptions.CATALOG_TYPE);
        String uri = c.get(WarehouseOptions.CATALOG_URI);
        if (type == WarehouseOptions.CatalogType.REST) {
            SettingChecks.required(uri, WarehouseOptions.CATALOG_URI.key());
        }
        String namespace = SettingChecks.required(c, WarehouseOptions.NAMESPACE);
        String credentialVariable = c.get(WarehouseOptions.CATALOG_OAUTH2_CLIENT_ENV);
        if (credentialVariable != null && (type != WarehouseOptions.CatalogType.REST || !uri.startsWith("https://"))) {
            throw new IllegalArgumentException(WarehouseOptions.CATALOG_OAUTH2_CLIENT_ENV.key()
                    + " needs a REST catalog at an https:// " + WarehouseOptions.CATALOG_URI.key()
                    + ": the credentials must not cross the network in clear");
        }
        return new WarehouseCatalog(type,
                SettingChecks.required(c, WarehouseOptions.LOCATION), uri,
                Map.copyOf(c.get(WarehouseOptions.CATALOG_PROPERTIES)), namespace, credentialVariable);
    }

    /**
     * Checks, before a job starts, that {@code environment} (the pods' own, where the catalog is
     * opened) holds the credentials this catalog names.
     *
     * @throws IllegalArgumentException naming the missing variable
     */
    public void requireCredential(Map<String, String> environment) {
        if (credentialVariable != null && (environment.get(credentialVariable) == null
                || environment.get(credentialVariable).isBlank())) {
            throw new IllegalArgumentException(WarehouseOptions.CATALOG_OAUTH2_CLIENT_ENV.key() + " names "
                    + credentialVariable + ", which the environment does not set");
        }
    }

    /** A catalog on a local folder: tests and the local run. */
    public static WarehouseCatalog local(java.nio.file.Path folder) {
        return new WarehouseCatalog(WarehouseOptions.CatalogType.HADOOP, folder.toUri().toString(), null, Map.of(),
                "tributary", null);
    }

    /** Loads the catalog inside an operator or a command. */
    public CatalogLoader loader() {
        Map<String, String> props = new HashMap<>(properties);
        props.put(CatalogProperties.WAREHOUSE_LOCATION, location);
        org.apache.hadoop.conf.Configuration hadoop = new org.apache.hadoop.conf.Configuration();
        return switch (type) {
            case HADOOP -> CatalogLoader.hadoop(CATALOG_NAME, hadoop, props);
            case REST -> {
                props.put(CatalogProperties.URI, uri);
                yield credentialVariable == null ? CatalogLoader.rest(CATALOG_NAME, hadoop, props)
                        : new CredentialedRestCatalogLoader(CATALOG_NAME, props, credentialVariable);
            }
        };
    }

    public TableIdentifier identifier(WarehouseTable table) {
        return TableIdentifier.of(Namespace.of(namespace), table.tableName());
    }

    /** The table as the lineage names it. */
    public Dataset dataset(WarehouseTable table) {
        return Dataset.icebergTable(location, namespace, table.tableName());
    }

    public TableLoader tableLoader(WarehouseTable table) {
        return TableLoader.fromCatalog(loader(), identifier(table));
    }

    /** Opens the catalog; close it when done (it may hold clients). */
    public Catalog open() {
        return loader().loadCatalog();
    }

    /** The current schema of every table, which the rows written must follow. */
    public Map<WarehouseTable, Schema> currentSchemas() {
        Catalog catalog = open();
        try {
            Map<WarehouseTable, Schema> schemas = new java.util.EnumMap<>(WarehouseTable.class);
            for (WarehouseTable table : WarehouseTable.values()) {
                schemas.put(table, load(catalog, this, table).schema());
            }
            return schemas;
        } finally {
            close(catalog);
        }
    }

    /** Loads one table; fails with a clear message when the warehouse has not been created yet. */
    public static Table load(Catalog catalog, WarehouseCatalog where, WarehouseTable table) {
        TableIdentifier id = where.identifier(table);
        if (!catalog.tableExists(id)) {
            throw new IllegalStateException("The warehouse at " + where.location() + " has no table " + id
                    + " (warehouse-sink creates the tables when it starts)");
        }
        return catalog.loadTable(id);
    }

    /**
     * Creates every table that does not exist yet, and adds to existing ones the columns that their
     * contracts gained: a compatible contract change (a new optional field) evolves the table in a
     * metadata commit, without rewriting any data file. Safe to run by several jobs at once.
     */
    public void createOrEvolveTables() {
        Catalog catalog = open();
        try {
            if (catalog instanceof SupportsNamespaces namespaces && !namespaces.namespaceExists(Namespace.of(namespace))) {
                try {
                    namespaces.createNamespace(Namespace.of(namespace));
                } catch (org.apache.iceberg.exceptions.AlreadyExistsException racedWithAnotherJob) {
                    // fine
                }
            }
            for (WarehouseTable table : WarehouseTable.values()) {
                createOrEvolve(catalog, table);
            }
        } finally {
            close(catalog);
        }
    }

    private void createOrEvolve(Catalog catalog, WarehouseTable table) {
        TableIdentifier id = identifier(table);
        Schema wanted = table.schema();
        if (!catalog.tableExists(id)) {
            try {
                catalog.buildTable(id, wanted)
                        .withPartitionSpec(table.partitionSpec(wanted))
                        .withProperty(TableProperties.FORMAT_VERSION, "2")
                        .withProperty(TableProperties.DEFAULT_FILE_FORMAT, "parquet")
                        .create();
                return;
            } catch (org.apache.iceberg.exceptions.AlreadyExistsException racedWithAnotherJob) {
                // evolve it below, like any existing table
            }
        }
        evolve(catalog.loadTable(id), wanted);
    }

    /**
     * Adds the columns of {@code wanted} that the table lacks, as a metadata commit: existing data
     * files stay as they are and read the new columns as null. Returns whether the schema changed.
     */
    static boolean evolve(Table table, Schema wanted) {
        Schema evolved = table.updateSchema().unionByNameWith(wanted).apply();
        if (evolved.sameSchema(table.schema())) {
            return false;
        }
        table.updateSchema().unionByNameWith(wanted).commit();
        return true;
    }

    /** Closes a catalog {@link #open} gave. */
    public static void close(Catalog catalog) {
        if (catalog instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
