package io.tributary.jobs.fraud.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;

/**
 * The Redis client's TLS against a real TLS server in this JVM, with certificates that the JDK's
 * keytool makes: only the configured CA is trusted, and only for the host name it certifies.
 */
class RedisTlsTest {
    private static final String PASSWORD = "test-only";

    @TempDir
    static Path dir;

    @BeforeAll
    static void certificates() throws Exception {
        certificate("redis", "dns:localhost");
        certificate("stranger", "dns:localhost");
    }

    @Test
    void aServerCertifiedByTheCaForTheHostIsAccepted() throws Exception {
        assertThat(handshake(RedisTls.trusting(dir.resolve("redis.pem")), "localhost")).isEqualTo("TLSv1.3");
    }

    @Test
    void aCertificateForAnotherHostIsRefused() {
        assertThatThrownBy(() -> handshake(RedisTls.trusting(dir.resolve("redis.pem")), "127.0.0.1"))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("No subject alternative names matching IP address 127.0.0.1");
    }

    @Test
    void aServerTheCaDidNotCertifyIsRefused() {
        assertThatThrownBy(() -> handshake(RedisTls.trusting(dir.resolve("stranger.pem")), "localhost"))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("PKIX path");
    }

    @Test
    void aCaFileWithoutCertificatesIsAClearError() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        assertThatThrownBy(() -> RedisTls.trusting(empty))
                .hasMessage("The Redis CA file " + empty + " holds no certificate");
        assertThatThrownBy(() -> RedisTls.trusting(dir.resolve("missing.pem")))
                .hasMessageStartingWith("Cannot read the Redis CA file " + dir.resolve("missing.pem"));
    }

    @Test
    void theWritersClientVerifiesTheHostAndTrustsTheConfiguredCa() {
        DefaultJedisClientConfig tls = writer(true, dir.resolve("redis.pem").toString()).clientConfig();
        assertThat(tls.isSsl()).isTrue();
        assertThat(tls.getSslParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
        assertThat(tls.getSslSocketFactory()).isNotNull();

        DefaultJedisClientConfig defaultCas = writer(true, null).clientConfig();
        assertThat(defaultCas.getSslParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
        assertThat(defaultCas.getSslSocketFactory()).isNull();

        DefaultJedisClientConfig plain = writer(false, null).clientConfig();
        assertThat(plain.isSsl()).isFalse();
        assertThat(plain.getSslParameters()).isNull();
    }

    @Test
    void aCaFileWithoutTlsIsRefused() {
        assertThatThrownBy(() -> RedisFeatureSink.builder().tls(false, "/ca.crt"))
                .hasMessage("A Redis CA file needs TLS");
    }

    private static RedisFeatureWriter writer(boolean tls, String caFile) {
        RedisFeatureSink.Options options = new RedisFeatureSink.Options("localhost", 6379, 0, tls, caFile, null, null,
                "it:", Duration.ofHours(1), 10, Duration.ofSeconds(1), Duration.ofSeconds(1));
        return new RedisFeatureWriter(options, Map.of(), new UnregisteredMetricsGroup(), row -> {});
    }

    /**
     * Connects to a TLS server that presents redis's certificate, naming {@code host} as Jedis does
     * (a plain socket layered with the host name, then the parameters); returns the protocol agreed.
     */
    private static String handshake(SSLSocketFactory client, String host) throws Exception {
        try (SSLServerSocket server = (SSLServerSocket) serverContext().getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (SSLSocket accepted = (SSLSocket) server.accept()) {
                    accepted.startHandshake();
                    accepted.getInputStream().read();
                } catch (Exception expectedWhenTheClientRefuses) {
                    // the client's side is what the tests assert
                }
            });
            Socket plain = new Socket();
            plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 5_000);
            try (SSLSocket socket = (SSLSocket) client.createSocket(plain, host, server.getLocalPort(), true)) {
                socket.setSSLParameters(RedisTls.verifyingHostname());
                socket.startHandshake();
                return socket.getSession().getProtocol();
            } finally {
                served.cancel(true);
            }
        }
    }

    private static SSLContext serverContext() throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("redis.p12"))) {
            keys.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
    }

    /** A self-signed certificate (its own CA) with the subject alternative name {@code san}, and its PEM. */
    private static void certificate(String name, String san) throws Exception {
        Path store = dir.resolve(name + ".p12");
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                "-ext", "san=" + san, "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", name, "-keystore", store.toString(), "-storepass", PASSWORD,
                "-file", dir.resolve(name + ".pem").toString());
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as("keytool " + String.join(" ", args) + ": " + output).isZero();
    }
}
