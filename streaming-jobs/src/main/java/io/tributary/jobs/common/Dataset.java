package io.tributary.jobs.common;

import java.net.URI;
import java.util.Locale;

/**
 * A dataset a job reads or writes, named the OpenLineage way: {@code namespace} names the data source
 * (scheme and authority), {@code name} the dataset within it, so that the lineage a job reports joins
 * the lineage other tools report for the same topic or table.
 *
 * @param namespace the data source, e.g. {@code kafka://broker:9092} or {@code postgres://db:5432}
 * @param name the dataset within it, e.g. a topic or {@code database.schema.table}
 */
public record Dataset(String namespace, String name) {

    /** A Kafka topic: {@code kafka://{first bootstrap server}}, the topic. */
    public static Dataset kafkaTopic(String bootstrapServers, String topic) {
        return new Dataset("kafka://" + bootstrapServers.split(",")[0].strip(), topic);
    }

    /**
     * The Redis keys matching {@code keyPattern} (Redis's glob syntax, as in {@code SCAN MATCH}).
     * OpenLineage names no convention for Redis: the namespace is the server's {@code redis://} URI with
     * its logical database, as Redis clients write it.
     */
    public static Dataset redisKeys(String host, int port, int database, String keyPattern) {
        return new Dataset("redis://" + host + ":" + port + "/" + database, keyPattern);
    }

    /**
     * A PostgreSQL table: {@code postgres://{host}:{port}}, {@code {database}.{schema}.{table}}. The schema
     * is the URL's {@code currentSchema}, else {@code public}, where an unqualified table is created.
     *
     * @param jdbcUrl {@code jdbc:postgresql://host[:port]/database[?parameters]}; of several hosts, the first
     */
    public static Dataset postgresTable(String jdbcUrl, String table) {
        String prefix = "jdbc:postgresql://";
        if (!jdbcUrl.startsWith(prefix)) {
            throw new IllegalArgumentException("Not a PostgreSQL JDBC URL: " + jdbcUrl);
        }
        String rest = jdbcUrl.substring(prefix.length());
        int slash = rest.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("The PostgreSQL JDBC URL names no database: " + jdbcUrl);
        }
        String host = rest.substring(0, slash).split(",")[0];
        String path = rest.substring(slash + 1);
        int query = path.indexOf('?');
        String database = query < 0 ? path : path.substring(0, query);
        String schema = "public";
        if (query >= 0) {
            for (String parameter : path.substring(query + 1).split("&")) {
                if (parameter.startsWith("currentSchema=")) {
                    schema = parameter.substring("currentSchema=".length()).split(",")[0];
                }
            }
        }
        return new Dataset("postgres://" + (host.contains(":") ? host : host + ":5432"),
                database + "." + schema + "." + table);
    }

    /**
     * An Iceberg table, named by where its files are, as OpenLineage names files and as its Flink and
     * Spark integrations name Iceberg tables: {@code s3://bucket} and the object key, {@code file} or
     * {@code hdfs://namenode:port} and the absolute path. The table's folder is {@code <warehouse>/<namespace>/<table>}, as the Hadoop
     * catalog lays it out and a REST catalog does by default.
     */
    public static Dataset icebergTable(String warehouseLocation, String namespace, String table) {
        URI location = URI.create(warehouseLocation.endsWith("/") ? warehouseLocation : warehouseLocation + "/")
                .resolve(namespace + "/" + table);
        String scheme = location.getScheme() == null ? "file" : location.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("file")) {
            return new Dataset("file", location.getPath());
        }
        if (scheme.equals("hdfs")) {
            return new Dataset("hdfs://" + location.getAuthority(), location.getPath());
        }
        // s3a and s3n name the same objects as s3.
        String store = scheme.startsWith("s3") ? "s3" : scheme;
        return new Dataset(store + "://" + location.getAuthority(), location.getPath().substring(1));
    }
}
