package io.tributary.localstack.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * A certificate authority made for one server run, and a server certificate it signs for
 * {@code localhost} and {@code 127.0.0.1}: the server's key store and a trust store holding only
 * that CA, both PKCS12 under one random password. Made with the JDK's {@code keytool}, as no
 * certificate builder is on this module's classpath; the chain is assembled with the JDK's
 * {@link KeyStore}, which saves four of keytool's JVM starts.
 *
 * @param keyStore the server's key and its chain (server certificate, CA)
 * @param trustStore the CA certificate alone, for clients
 * @param password the password of both stores and of the key
 */
public record SelfSignedTls(Path keyStore, Path trustStore, String password) {
    private static final String VALIDITY_DAYS = "2";

    /** Creates the CA, the server certificate and both stores in {@code directory}. */
    public static SelfSignedTls create(Path directory) {
        String password = Secrets.random();
        Path ca = directory.resolve("ca.p12");
        Path server = directory.resolve("server.p12");
        Path request = directory.resolve("server.csr");
        Path signed = directory.resolve("server.crt");
        try {
            keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", VALIDITY_DAYS,
                    "-dname", "CN=Tributary local test CA", "-ext", "bc:c", "-keystore", ca.toString(),
                    "-storetype", "PKCS12", "-storepass", password);
            keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity",
                    VALIDITY_DAYS, "-dname", "CN=localhost", "-keystore", server.toString(), "-storetype", "PKCS12",
                    "-storepass", password);
            keytool("-certreq", "-alias", "server", "-keystore", server.toString(), "-storepass", password,
                    "-file", request.toString());
            // Clients check the host name, so the certificate names what they connect to.
            keytool("-gencert", "-alias", "ca", "-keystore", ca.toString(), "-storepass", password, "-validity",
                    VALIDITY_DAYS, "-ext", "san=dns:localhost,ip:127.0.0.1", "-infile", request.toString(), "-outfile",
                    signed.toString());

            KeyStore caStore = load(ca, password);
            Certificate caCertificate = caStore.getCertificate("ca");
            KeyStore serverStore = load(server, password);
            Key key = serverStore.getKey("server", password.toCharArray());
            List<Certificate> chain = new ArrayList<>();
            try (InputStream in = Files.newInputStream(signed)) {
                chain.add(CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            chain.add(caCertificate);
            serverStore.setKeyEntry("server", key, password.toCharArray(), chain.toArray(Certificate[]::new));
            store(serverStore, server, password);

            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", caCertificate);
            Path trustStore = directory.resolve("truststore.p12");
            store(trust, trustStore, password);
            // The CA's key signs nothing more: do not leave it lying around.
            Files.delete(ca);
            return new SelfSignedTls(server, trustStore, password);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Could not make the test certificates in " + directory + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while making the test certificates", e);
        }
    }

    private static KeyStore load(Path file, String password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password.toCharArray());
        }
        return store;
    }

    private static void store(KeyStore store, Path file, String password) throws IOException, GeneralSecurityException {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.waitFor() != 0) {
            // The arguments hold the password: name the step only.
            throw new IOException("keytool " + args[0] + " failed: " + output);
        }
    }
}
