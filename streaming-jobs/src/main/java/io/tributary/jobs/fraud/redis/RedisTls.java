package io.tributary.jobs.fraud.redis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS to Redis that proves the server is the one the job means. Jedis with {@code ssl(true)} alone
 * trusts the JVM's default CAs and checks no host name, so any server with any public certificate,
 * or a private CA's certificate for another host, would receive the features and the ACL password.
 * Here the server's certificate must chain to a CA of the configured bundle and name the host.
 */
final class RedisTls {
    private RedisTls() {}

    /** Sockets that trust exactly the CA certificates of the PEM file {@code caBundle}. */
    static SSLSocketFactory trusting(Path caBundle) {
        try (InputStream in = Files.newInputStream(caBundle)) {
            Collection<? extends Certificate> cas = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (cas.isEmpty()) {
                throw new IllegalStateException("The Redis CA file " + caBundle + " holds no certificate");
            }
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int i = 0;
            for (Certificate ca : cas) {
                trusted.setCertificateEntry("ca-" + i++, ca);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the Redis CA file " + caBundle + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The Redis CA file " + caBundle + " is not a PEM bundle of X.509 certificates: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Parameters that make the handshake fail unless the certificate names the host connected to
     * (the JDK's HTTPS rules: a DNS subject alternative name, or an IP one for an address).
     */
    static SSLParameters verifyingHostname() {
        SSLParameters parameters = new SSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        return parameters;
    }
}
