package io.tributary.localstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Registers a one-field record schema through the registry's Confluent API, as a producer's serializer would. */
final class TestSchemaRegistration {
    private static final String SCHEMA = "{\"type\":\"record\",\"name\":\"T\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}";

    private TestSchemaRegistration() {}

    /** POSTs the schema to {@code /subjects/<subject>/versions}; the answer holds its id. */
    static HttpResponse<String> register(HttpClient http, SchemaRegistryServer registry, String subject)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(registry.url() + "/subjects/" + subject + "/versions"))
                        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"schema\":\"" + SCHEMA.replace("\"", "\\\"") + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
