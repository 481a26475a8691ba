package io.tributary.cli;

import io.tributary.registry.SchemaRegistryConfig;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * How to reach the schema registry; secrets may come from the environment instead of flags. A user or
 * token with an {@code http://} url is refused (exit code 1) unless {@code --registry-allow-insecure-auth}
 * says the registry is local. Public, as a mixin, for the launcher's commands that read the registry too
 * ({@code dashboard}).
 */
public final class RegistryOptions {
    @Option(names = "--registry-url", required = true, defaultValue = "${env:TRIBUTARY_REGISTRY_URL}",
            description = "Base URL of the Confluent-API schema registry, e.g. http://localhost:8081 or an "
                    + "Apicurio .../apis/ccompat/v7 (env TRIBUTARY_REGISTRY_URL).")
    String url;

    @Option(names = "--registry-user", defaultValue = "${env:TRIBUTARY_REGISTRY_USER}",
            description = "User for HTTP basic authentication (env TRIBUTARY_REGISTRY_USER).")
    String user;

    @Option(names = "--registry-password", defaultValue = "${env:TRIBUTARY_REGISTRY_PASSWORD}",
            description = "Password for basic authentication; prefer the env TRIBUTARY_REGISTRY_PASSWORD.")
    String password;

    @Option(names = "--registry-token", defaultValue = "${env:TRIBUTARY_REGISTRY_TOKEN}",
            description = "Bearer token instead of basic authentication; prefer the env TRIBUTARY_REGISTRY_TOKEN.")
    String token;

    @Option(names = "--registry-ca-file", description = "PEM file of the CA that signs the registry's https"
            + " certificate (a private CA); excludes --registry-truststore.")
    Path caFile;

    @Option(names = "--registry-allow-insecure-auth", description = "Send the registry user's password or token over"
            + " http:// (readable on the network): for a registry on this machine only. Refused without it.")
    boolean allowInsecureAuth;

    @Option(names = "--registry-truststore", description = "PKCS12 trust store with the registry's CA, for https.")
    Path trustStore;

    @Option(names = "--registry-truststore-password", defaultValue = "${env:TRIBUTARY_REGISTRY_TRUSTSTORE_PASSWORD}",
            description = "Password of the trust store (env TRIBUTARY_REGISTRY_TRUSTSTORE_PASSWORD).")
    String trustStorePassword;

    @Option(names = "--registry-max-attempts", defaultValue = "4",
            description = "Tries per request on connection errors and 5xx answers (default: ${DEFAULT-VALUE}).")
    int maxAttempts;

    @Option(names = "--registry-timeout", defaultValue = "10s", converter = DurationConverter.class,
            description = "Time for one request to be answered (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    public SchemaRegistryConfig toConfig() {
        SchemaRegistryConfig.Builder builder = SchemaRegistryConfig.builder(url)
                .maxAttempts(maxAttempts)
                .requestTimeout(timeout)
                .connectTimeout(timeout);
        if (user != null) {
            if (password == null) {
                throw new IllegalArgumentException("--registry-user needs --registry-password or TRIBUTARY_REGISTRY_PASSWORD");
            }
            builder.basicAuth(user, password);
        }
        if (token != null) {
            builder.bearerToken(token);
        }
        if (trustStore != null) {
            builder.trustStore(trustStore, trustStorePassword);
        }
        if (caFile != null) {
            builder.caCertificates(caFile);
        }
        return builder.allowInsecureAuth(allowInsecureAuth).build();
    }
}
