package io.tributary.registry.internal;

import io.tributary.registry.SchemaRegistryConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Builds the TLS context of a registry connection from the configured trust and key stores. */
final class TlsContexts {
    private TlsContexts() {}

    /** The JVM's default context when no store is configured. */
    static SSLContext create(SchemaRegistryConfig config) {
        try {
            if (config.trustStorePath() == null && config.keyStorePath() == null) {
                return SSLContext.getDefault();
            }
            TrustManagerFactory trust = null;
            if (config.trustStorePath() != null) {
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

    private static KeyStore load(String path, String password, String type)
            throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            store.load(in, password == null ? null : password.toCharArray());
        }
        return store;
    }
}
