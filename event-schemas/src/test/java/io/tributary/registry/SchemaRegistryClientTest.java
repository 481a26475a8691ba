package io.tributary.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the client talks HTTP: retries, errors, authentication, TLS, caching. */
class SchemaRegistryClientTest {
    private static final String SCHEMA_JSON = "{\\\"type\\\":\\\"string\\\"}";
    private static final Schema STRING = new Schema.Parser().parse("\"string\"");

    private static SchemaRegistryConfig.Builder fastRetries(String url) {
        return SchemaRegistryConfig.builder(url)
                .maxAttempts(3)
                .initialBackoff(Duration.ofMillis(10))
                .maxBackoff(Duration.ofMillis(20));
    }

    @Test
    void retriesServerErrorsThenSucceeds() throws Exception {
        try (var server = ScriptedHttpServer.http()
                .answer(503, "{\"error_code\":50301,\"message\":\"busy\"}")
                .answer(500, "oops")
                .answer(200, "{\"schema\":\"" + SCHEMA_JSON + "\"}")) {
            var client = SchemaRegistryClient.create(fastRetries(server.url("http")).build());

            assertThat(client.schemaById(7)).isEqualTo(STRING);
            assertThat(server.requests()).hasSize(3).allSatisfy(r -> assertThat(r.path()).isEqualTo("/schemas/ids/7"));
        }
    }

    @Test
    void givesUpAfterTheConfiguredTriesAndSaysSo() throws Exception {
        try (var server = ScriptedHttpServer.http().answer(503, "{\"error_code\":50301,\"message\":\"busy\"}")) {
            var client = SchemaRegistryClient.create(fastRetries(server.url("http")).build());

            assertThatThrownBy(() -> client.latestVersion("t-value"))
                    .isInstanceOfSatisfying(RegistryUnavailableException.class, e -> {
                        assertThat(e.attempts()).isEqualTo(3);
                        assertThat(e.httpStatus()).isEqualTo(503);
                        assertThat(e.errorCode()).isEqualTo(50301);
                        assertThat(e.subject()).isEqualTo("t-value");
                    })
                    .hasMessageContaining("unreachable after 3 tries")
                    .hasMessageContaining("HTTP 503");
            assertThat(server.requests()).hasSize(3);
        }
    }

    @Test
    void neverRetriesAClientError() throws Exception {
        try (var server = ScriptedHttpServer.http()
                .answer(404, "{\"error_code\":40401,\"message\":\"Subject 't-value' not found.\"}")) {
            var client = SchemaRegistryClient.create(fastRetries(server.url("http")).build());

            assertThatThrownBy(() -> client.latestVersion("t-value"))
                    .isInstanceOfSatisfying(SubjectNotFoundException.class, e -> {
                        assertThat(e.httpStatus()).isEqualTo(404);
                        assertThat(e.errorCode()).isEqualTo(40401);
                        assertThat(e.subject()).isEqualTo("t-value");
                    })
                    .hasMessageStartingWith("Subject not found for subject 't-value' (HTTP 404, error code 40401)");
            assertThat(server.requests()).hasSize(1);
        }
    }

    @Test
    void turnsEachClientErrorIntoItsType() throws Exception {
        try (var server = ScriptedHttpServer.http()
                .answer(409, "{\"error_code\":409,\"message\":\"incompatible\"}")
                .answer(422, "{\"error_code\":42201,\"message\":\"bad\"}")
                .answer(404, "{\"error_code\":40403,\"message\":\"no such schema\"}")
                .answer(401, "Unauthorized")) {
            var client = SchemaRegistryClient.create(fastRetries(server.url("http")).build());

            assertThatThrownBy(() -> client.register("t-value", STRING)).isInstanceOf(IncompatibleSchemaException.class);
            assertThatThrownBy(() -> client.register("t-value", STRING)).isInstanceOf(InvalidSchemaException.class)
                    .hasMessageContaining("42201");
            assertThatThrownBy(() -> client.schemaById(99)).isInstanceOf(SchemaNotFoundException.class);
            assertThatThrownBy(() -> client.subjects()).isExactlyInstanceOf(SchemaRegistryException.class)
                    .hasMessageContaining("Not authenticated").hasMessageContaining("HTTP 401");
        }
    }

    @Test
    void anUnreachableRegistryFailsWithinTheBoundedRetries() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        var client = SchemaRegistryClient.create(fastRetries("http://127.0.0.1:" + closedPort).build());

        assertThatThrownBy(client::subjects)
                .isInstanceOfSatisfying(RegistryUnavailableException.class,
                        e -> assertThat(e.attempts()).isEqualTo(3))
                .hasMessageContaining("unreachable after 3 tries")
                .hasMessageContaining("ConnectException");
    }

    @Test
    void sendsBasicAuthOrBearerTokenAndTheConfluentContentType() throws Exception {
        try (var server = ScriptedHttpServer.http().answer(200, "{\"id\":3}")) {
            SchemaRegistryClient.create(SchemaRegistryConfig.builder(server.url("http"))
                    .basicAuth("svc", "s3cret").allowInsecureAuth(true).build()).register("t-value", STRING);
            SchemaRegistryClient.create(SchemaRegistryConfig.builder(server.url("http"))
                    .bearerToken("tok-123").allowInsecureAuth(true).build()).register("t-value", STRING);

            assertThat(server.requests()).extracting(ScriptedHttpServer.Request::authorization)
                    .containsExactly("Basic c3ZjOnMzY3JldA==", "Bearer tok-123");
            assertThat(server.requests().get(0).contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
            assertThat(server.requests().get(0).body()).isEqualTo("{\"schema\":\"\\\"string\\\"\"}");
            assertThat(server.requests().get(0).path()).isEqualTo("/subjects/t-value/versions");
        }
    }

    @Test
    void aPasswordFromTheEnvironmentIsReadWhereTheClientRunsAndNeverSerialized() throws Exception {
        // PATH is set wherever the tests run; it stands in for a password variable.
        try (var server = ScriptedHttpServer.http().answer(200, "[]")) {
            SchemaRegistryConfig config = SchemaRegistryConfig.builder(server.url("http"))
                    .basicAuthFromEnvironment("svc", "PATH").allowInsecureAuth(true).build();
            SchemaRegistryClient.create(config).subjects();

            String expected = Base64.getEncoder().encodeToString(("svc:" + System.getenv("PATH")).getBytes());
            assertThat(server.requests().get(0).authorization()).isEqualTo("Basic " + expected);
            var bytes = new ByteArrayOutputStream();
            try (var out = new ObjectOutputStream(bytes)) {
                out.writeObject(config);
            }
            assertThat(bytes.toString(StandardCharsets.ISO_8859_1)).contains("PATH")
                    .doesNotContain(System.getenv("PATH"));
            assertThat(config.toString()).contains("password from $PATH");
        }
        SchemaRegistryConfig unset = SchemaRegistryConfig.builder("https://localhost:8081")
                .basicAuthFromEnvironment("svc", "TRIBUTARY_NO_SUCH_VARIABLE").build();
        assertThatThrownBy(unset::basicAuthPassword).hasMessage("The schema registry password is missing: the"
                + " environment variable TRIBUTARY_NO_SUCH_VARIABLE is not set in this JVM");
    }

    @Test
    void asksOncePerIdAndOncePerSchemaAndRemembersUnknownIds() throws Exception {
        try (var server = ScriptedHttpServer.http()
                .answer(200, "{\"schema\":\"" + SCHEMA_JSON + "\"}")
                .answer(200, "{\"subject\":\"t-value\",\"version\":1,\"id\":5,\"schema\":\"" + SCHEMA_JSON + "\"}")
                .answer(404, "{\"error_code\":40403,\"message\":\"Schema 6 not found\"}")) {
            var client = SchemaRegistryClient.create(fastRetries(server.url("http")).build());

            for (int i = 0; i < 3; i++) {
                assertThat(client.schemaById(5)).isEqualTo(STRING);
                assertThat(client.idFor("t-value", STRING, false)).isEqualTo(5);
                assertThatThrownBy(() -> client.schemaById(6)).isInstanceOf(SchemaNotFoundException.class);
            }
            assertThat(server.requests()).extracting(ScriptedHttpServer.Request::path)
                    .containsExactly("/schemas/ids/5", "/subjects/t-value", "/schemas/ids/6");
        }
    }

    @Test
    void trustsTheConfiguredTrustStoreOverTls(@TempDir Path dir) throws Exception {
        Path keyStore = dir.resolve("server.p12");
        Path certificate = dir.resolve("server.crt");
        Path trustStore = dir.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "registry", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", "changeit");
        keytool("-exportcert", "-alias", "registry", "-keystore", keyStore.toString(), "-storepass", "changeit",
                "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "registry", "-file", certificate.toString(),
                "-keystore", trustStore.toString(), "-storetype", "PKCS12", "-storepass", "changeit");

        try (var server = ScriptedHttpServer.https(serverContext(keyStore)).answer(200, "[\"t-value\"]")) {
            var trusting = SchemaRegistryClient.create(fastRetries(server.url("https"))
                    .trustStore(trustStore, "changeit").build());
            var defaultTrust = SchemaRegistryClient.create(fastRetries(server.url("https")).maxAttempts(1).build());

            assertThat(trusting.subjects()).isEqualTo(List.of("t-value"));
            assertThatThrownBy(defaultTrust::subjects).isInstanceOf(RegistryUnavailableException.class)
                    .hasMessageContaining("SSLHandshakeException");
        }
    }

    @Test
    void rejectsBadOptionsWithAClearMessage() {
        assertThatThrownBy(() -> SchemaRegistryConfig.builder("localhost:8081"))
                .hasMessageContaining("must be http://");
        assertThatThrownBy(() -> SchemaRegistryConfig.builder("http://u:p@host:8081"))
                .hasMessageContaining("must not carry credentials");
        assertThatThrownBy(() -> SchemaRegistryConfig.builder("http://host").basicAuth("u", "p").bearerToken("t").build())
                .hasMessageContaining("either basic auth or a bearer token");
        assertThatThrownBy(() -> SchemaRegistryConfig.builder("http://host").maxAttempts(0))
                .hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> SchemaRegistryConfig.builder("http://host").trustStore(Path.of("/nope.p12"), "x"))
                .hasMessageContaining("not a readable file");
        assertThat(SchemaRegistryConfig.builder("https://host:8081/").basicAuth("svc", "s3cret").build().toString())
                .contains("https://host:8081").contains("svc").doesNotContain("s3cret");
    }

    @Test
    void refusesCredentialsOverPlainHttpUnlessAllowedForALocalRegistry() {
        String refusal = "Refusing to send schema registry credentials over plain http to http://registry:8081";
        assertThatThrownBy(() -> SchemaRegistryConfig.builder("http://registry:8081").basicAuth("svc", "pw").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(refusal);
        assertThatThrownBy(() -> SchemaRegistryConfig.builder("http://registry:8081").bearerToken("tok").build())
                .hasMessageStartingWith(refusal);
        assertThatThrownBy(() -> SchemaRegistryConfig.builder("http://registry:8081").bearerTokenFromEnvironment("PATH")
                .build()).hasMessageStartingWith(refusal);
        assertThat(SchemaRegistryConfig.builder("http://localhost:8081").basicAuth("svc", "pw").allowInsecureAuth(true)
                .build().toString()).contains("insecure auth allowed").doesNotContain("pw");
        assertThat(SchemaRegistryConfig.builder("http://registry:8081").build().url()).isEqualTo("http://registry:8081");
        assertThat(SchemaRegistryConfig.builder("https://registry:8081").basicAuth("svc", "pw").build().basicAuthUser())
                .isEqualTo("svc");
    }

    @Test
    void trustsAPrivateCaFromAPemFileAndSendsATokenFromTheEnvironment(@TempDir Path dir) throws Exception {
        Path keyStore = dir.resolve("server.p12");
        Path caPem = dir.resolve("ca.pem");
        Path otherKeyStore = dir.resolve("other.p12");
        Path otherPem = dir.resolve("other.pem");
        for (Path store : List.of(keyStore, otherKeyStore)) {
            keytool("-genkeypair", "-alias", "registry", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                    "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "changeit");
        }
        keytool("-exportcert", "-rfc", "-alias", "registry", "-keystore", keyStore.toString(), "-storepass", "changeit",
                "-file", caPem.toString());
        keytool("-exportcert", "-rfc", "-alias", "registry", "-keystore", otherKeyStore.toString(), "-storepass",
                "changeit", "-file", otherPem.toString());
        assertThat(Files.readString(caPem)).startsWith("-----BEGIN CERTIFICATE-----");

        try (var server = ScriptedHttpServer.https(serverContext(keyStore)).answer(200, "[\"t-value\"]")) {
            // PATH is set wherever the tests run; it stands in for a token variable.
            SchemaRegistryConfig config = fastRetries(server.url("https")).caCertificates(caPem)
                    .bearerTokenFromEnvironment("PATH").build();
            var otherCa = SchemaRegistryClient.create(fastRetries(server.url("https")).maxAttempts(1)
                    .caCertificates(otherPem).build());

            assertThat(SchemaRegistryClient.create(config).subjects()).isEqualTo(List.of("t-value"));
            assertThat(server.requests()).extracting(ScriptedHttpServer.Request::authorization)
                    .containsExactly("Bearer " + System.getenv("PATH"));
            assertThatThrownBy(otherCa::subjects).isInstanceOf(RegistryUnavailableException.class)
                    .hasMessageContaining("SSLHandshakeException");
            var bytes = new ByteArrayOutputStream();
            try (var out = new ObjectOutputStream(bytes)) {
                out.writeObject(config);
            }
            assertThat(bytes.toString(StandardCharsets.ISO_8859_1)).doesNotContain(System.getenv("PATH"));
            assertThat(config.toString()).contains("token from $PATH").doesNotContain(System.getenv("PATH"));
        }
        assertThatThrownBy(() -> SchemaRegistryConfig.builder("http://localhost:8081").caCertificates(caPem).build())
                .hasMessageContaining("needs an https:// url");
        assertThatThrownBy(() -> SchemaRegistryClient.create(SchemaRegistryConfig.builder("https://localhost:8081")
                .caCertificates(dir.resolve("missing.pem")).build()))
                .hasMessageContaining("the CA certificate file " + dir.resolve("missing.pem") + " is not a readable file");
    }

    private static void keytool(String... args) throws Exception {
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        var command = new java.util.ArrayList<String>();
        command.add(keytool);
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as("keytool %s: %s", args[0], output).isZero();
    }

    private static SSLContext serverContext(Path keyStore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keyStore)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }
}
