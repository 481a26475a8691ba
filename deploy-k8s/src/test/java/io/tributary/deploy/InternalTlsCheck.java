package io.tributary.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Flink's internal connections (RPC, blobs, the records TaskManagers exchange, the DLQ's clear card
 * numbers among them) are mutual TLS, with a keystore and truststore from a Secret that a cert-manager
 * Certificate writes, issued by a CA no other job uses: no other pod, nor another job's, can join. The
 * keystore passwords, written in the flinkConfiguration, must be the Certificate's own literal
 * PKCS#12 password: they guard the file format, not the keys, which stay in the Secret
 * ({@link SecurityCheck} leaves these three keys to this check).
 */
final class InternalTlsCheck {
    static final String ENABLED = "security.ssl.internal.enabled";
    static final String KEYSTORE = "security.ssl.internal.keystore";
    static final String TRUSTSTORE = "security.ssl.internal.truststore";
    static final List<String> PASSWORDS = List.of("security.ssl.internal.keystore-password",
            "security.ssl.internal.key-password", "security.ssl.internal.truststore-password");

    private InternalTlsCheck() {}

    static List<String> check(List<Manifest> manifests) {
        List<String> complaints = new ArrayList<>();
        Map<String, String> issuers = new LinkedHashMap<>();
        for (FlinkDeploymentView d : FlinkDeploymentView.all(manifests)) {
            Map<String, String> conf = d.flinkConfiguration();
            if (!"true".equals(conf.get(ENABLED))) {
                complaints.add(d.id() + ": " + ENABLED + " is not true: TaskManagers exchange records in clear");
                continue;
            }
            String keystore = conf.get(KEYSTORE);
            Optional<String> secret = keystore == null ? Optional.empty() : d.secretHolding(keystore);
            if (secret.isEmpty()) {
                complaints.add(d.id() + ": " + KEYSTORE + " " + keystore + " is not in a mounted Secret");
                continue;
            }
            String truststore = conf.get(TRUSTSTORE);
            if (truststore == null || !d.secretHolding(truststore).equals(secret)) {
                complaints.add(d.id() + ": " + TRUSTSTORE + " " + truststore + " is not in Secret " + secret.get()
                        + " beside the keystore (the CA of its certificate)");
            }
            Optional<JsonNode> certificate = certificateWriting(manifests, secret.get());
            if (certificate.isEmpty()) {
                complaints.add(d.id() + ": " + KEYSTORE + " comes from Secret " + secret.get()
                        + ", which no cert-manager Certificate writes with a PKCS#12 keystore");
                continue;
            }
            String password = certificate.get().at("/spec/keystores/pkcs12/password").asText();
            for (String key : PASSWORDS) {
                if (!password.equals(conf.get(key))) {
                    complaints.add(d.id() + ": " + key + " is not the PKCS#12 password of Certificate "
                            + certificate.get().at("/metadata/name").asText());
                }
            }
            String issuer = certificate.get().at("/spec/issuerRef/name").asText();
            String other = issuers.putIfAbsent(issuer, d.id());
            if (other != null) {
                complaints.add(d.id() + ": its certificate's issuer " + issuer + " also signs " + other
                        + "'s, so each trusts the other's pods");
            }
        }
        return complaints;
    }

    private static Optional<JsonNode> certificateWriting(List<Manifest> manifests, String secret) {
        return Manifests.ofKind(manifests, "Certificate").stream().map(Manifest::doc)
                .filter(c -> c.at("/spec/secretName").asText().equals(secret))
                .filter(c -> c.at("/spec/keystores/pkcs12/create").asBoolean(false))
                .findFirst();
    }
}
