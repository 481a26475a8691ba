package io.tributary.registry.internal;

import io.tributary.registry.SchemaRegistryConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the TLS context of a registry connection: trusting a private CA's PEM file, or a trust
 * store, or the JVM's default CAs, plus a client key store for mutual TLS. The JDK's HttpClient
 * checks the server's host name against its certificate either way.
 */
final class TlsContexts {
    private TlsContexts() {}

    /** The JVM's default context when no store is configured. */
    static SSLContext create(SchemaRegistryConfig config) {
        try {
            if (config.trustStorePath() == null && config.keyStorePath() == null && config.caFile() == null) {
                return SSLContext.getDefault();
            }
            TrustManagerFactory trust = null;
            if (config.caFile() != null) {
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(caCertificates(config.caFile()));
            } else if (config.trustStorePath() != null) {
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(load(config.trustStorePath(), config.trustStorePassword(), config.trustStoreType()));
            }
            KeyManagerFactory keys = null;
            if (config.keyStorePath() != null) {
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(
                        load(config.keyStorePath(), config.keyStorePassword(), config.keyStoreType()),
                        config.keyStorePassword().toCharArray());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(
                    keys == null ? null : keys.getKeyManagers(),
                    trust == null ? null : trust.getTrustManagers(),
                    null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("Cannot set up TLS for the schema registry: " + e.getMessage(), e);
        }
    }

    /** A key store of the PEM file's certificates, each a trusted CA. */
    private static KeyStore caCertificates(String pemFile) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        if (!Files.isReadable(Path.of(pemFile))) {
            throw new IOException("the CA certificate file " + pemFile + " is not a readable file here");
        }
        try (InputStream in = Files.newInputStream(Path.of(pemFile))) {
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            if (i == 0) {
                throw new CertificateException("no certificate in " + pemFile);
            }
        }
        return store;
    }

    private static KeyStore load(String path, String password, String type)
            throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            store.load(in, password == null ? null : password.toCharArray());
        }
        return store;
    }
}
