package io.tributary.registry;

import java.io.Serializable;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach a Confluent-API schema registry (Confluent, Apicurio's {@code /apis/ccompat/v7},
 * Karapace, Redpanda). Serializable, so that Flink serdes carry it to the task managers, where each
 * JVM builds one {@link SchemaRegistryClient} per distinct configuration. Secrets never appear in
 * {@link #toString()}.
 *
 * <pre>{@code
 * SchemaRegistryConfig config = SchemaRegistryConfig.builder("https://registry:8081")
 *     .bearerTokenFromEnvironment("TRIBUTARY_REGISTRY_TOKEN")
 *     .caCertificates(Path.of("/etc/tributary/registry-ca/ca.crt"))
 *     .maxAttempts(5)
 *     .build();
 * }</pre>
 *
 * <p>Credentials (basic auth or a bearer token) are refused over {@code http://}, where anyone on
 * the path reads them, unless {@link Builder#allowInsecureAuth} says the registry is local.
 */
public final class SchemaRegistryConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String url;
    private final String basicAuthUser;
    private final String basicAuthPassword;
    private final String basicAuthPasswordVariable;
    private final String bearerToken;
    private final String bearerTokenVariable;
    private final boolean allowInsecureAuth;
    private final String caFile;
    private final String trustStorePath;
    private final String trustStorePassword;
    private final String trustStoreType;
    private final String keyStorePath;
    private final String keyStorePassword;
    private final String keyStoreType;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration unknownIdCacheTime;
    private final Duration unknownIdRetryTime;
    private final int maxIdLag;

    private SchemaRegistryConfig(Builder b) {
        this.url = b.url;
        this.basicAuthUser = b.basicAuthUser;
        this.basicAuthPassword = b.basicAuthPassword;
        this.basicAuthPasswordVariable = b.basicAuthPasswordVariable;
        this.bearerToken = b.bearerToken;
        this.bearerTokenVariable = b.bearerTokenVariable;
        this.allowInsecureAuth = b.allowInsecureAuth;
        this.caFile = b.caFile;
        this.trustStorePath = b.trustStorePath;
        this.trustStorePassword = b.trustStorePassword;
        this.trustStoreType = b.trustStoreType;
        this.keyStorePath = b.keyStorePath;
        this.keyStorePassword = b.keyStorePassword;
        this.keyStoreType = b.keyStoreType;
        this.connectTimeout = b.connectTimeout;
        this.requestTimeout = b.requestTimeout;
        this.maxAttempts = b.maxAttempts;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.unknownIdCacheTime = b.unknownIdCacheTime;
        this.unknownIdRetryTime = b.unknownIdRetryTime;
        this.maxIdLag = b.maxIdLag;
    }

    /** Starts a configuration for the registry at {@code url}, e.g. {@code http://localhost:8081}. */
    public static Builder builder(String url) {
        return new Builder(url);
    }

    /** The base URL, without a trailing slash. */
    public String url() {
        return url;
    }

    public String basicAuthUser() {
        return basicAuthUser;
    }

    /**
     * The basic-auth password: the one given, or the value of the environment variable named with
     * {@link Builder#basicAuthFromEnvironment}, read in the JVM that calls this.
     *
     * @throws IllegalStateException when that variable is not set here
     */
    public String basicAuthPassword() {
        if (basicAuthPasswordVariable == null) {
            return basicAuthPassword;
        }
        String password = System.getenv(basicAuthPasswordVariable);
        if (password == null) {
            throw new IllegalStateException("The schema registry password is missing: the environment variable "
                    + basicAuthPasswordVariable + " is not set in this JVM");
        }
        return password;
    }

    /**
     * The bearer token: the one given, or the value of the environment variable named with
     * {@link Builder#bearerTokenFromEnvironment}, read in the JVM that calls this.
     *
     * @throws IllegalStateException when that variable is not set here
     */
    public String bearerToken() {
        if (bearerTokenVariable == null) {
            return bearerToken;
        }
        String token = System.getenv(bearerTokenVariable);
        if (token == null || token.isBlank()) {
            throw new IllegalStateException("The schema registry token is missing: the environment variable "
                    + bearerTokenVariable + " is not set in this JVM");
        }
        return token;
    }

    /** Whether a bearer token is sent, given or from the environment. */
    public boolean hasBearerToken() {
        return bearerToken != null || bearerTokenVariable != null;
    }

    /** Whether credentials may go to an {@code http://} registry (local runs only). */
    public boolean allowInsecureAuth() {
        return allowInsecureAuth;
    }

    /** The PEM file of the CA certificates trusted for https, or null for the trust store or the JVM's. */
    public String caFile() {
        return caFile;
    }

    public String trustStorePath() {
        return trustStorePath;
    }

    public String trustStorePassword() {
        return trustStorePassword;
    }

    public String trustStoreType() {
        return trustStoreType;
    }

    public String keyStorePath() {
        return keyStorePath;
    }

    public String keyStorePassword() {
        return keyStorePassword;
    }

    public String keyStoreType() {
        return keyStoreType;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** Tries per request, first one included, on connection errors and 5xx answers. */
    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration initialBackoff() {
        return initialBackoff;
    }

    public Duration maxBackoff() {
        return maxBackoff;
    }

    /** How long an id the registry does not know is remembered as unknown. */
    public Duration unknownIdCacheTime() {
        return unknownIdCacheTime;
    }

    /**
     * How long a reader keeps retrying a record whose schema id the registry does not know while the
     * registry itself is in doubt (unreachable, lacking the reader's contract, or behind the id),
     * before it fails instead of dead-lettering the record.
     */
    public Duration unknownIdRetryTime() {
        return unknownIdRetryTime;
    }

    /**
     * How far above the newest id the registry serves an unknown id may be and still be taken for a
     * replica that has not caught up; further above, it is a producer's bad id.
     */
    public int maxIdLag() {
        return maxIdLag;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SchemaRegistryConfig other)) {
            return false;
        }
        return url.equals(other.url)
                && Objects.equals(basicAuthUser, other.basicAuthUser)
                && Objects.equals(basicAuthPassword, other.basicAuthPassword)
                && Objects.equals(basicAuthPasswordVariable, other.basicAuthPasswordVariable)
                && Objects.equals(bearerToken, other.bearerToken)
                && Objects.equals(bearerTokenVariable, other.bearerTokenVariable)
                && allowInsecureAuth == other.allowInsecureAuth
                && Objects.equals(caFile, other.caFile)
                && Objects.equals(trustStorePath, other.trustStorePath)
                && Objects.equals(trustStorePassword, other.trustStorePassword)
                && Objects.equals(trustStoreType, other.trustStoreType)
                && Objects.equals(keyStorePath, other.keyStorePath)
                && Objects.equals(keyStorePassword, other.keyStorePassword)
                && Objects.equals(keyStoreType, other.keyStoreType)
                && connectTimeout.equals(other.connectTimeout)
                && requestTimeout.equals(other.requestTimeout)
                && maxAttempts == other.maxAttempts
                && initialBackoff.equals(other.initialBackoff)
                && maxBackoff.equals(other.maxBackoff)
                && unknownIdCacheTime.equals(other.unknownIdCacheTime)
                && unknownIdRetryTime.equals(other.unknownIdRetryTime)
                && maxIdLag == other.maxIdLag;
    }

    @Override
    public int hashCode() {
        return Objects.hash(url, basicAuthUser, bearerToken, trustStorePath, keyStorePath, maxAttempts);
    }

    @Override
    public String toString() {
        String bearer = bearerTokenVariable != null ? "bearer(token from $" + bearerTokenVariable + ")" : "bearer";
        String auth = basicAuthUser == null ? (hasBearerToken() ? bearer : "none")
                : "basic(" + basicAuthUser + (basicAuthPasswordVariable != null ? ", password from $"
                        + basicAuthPasswordVariable : "") + ")";
        return "SchemaRegistryConfig{url=" + url + ", auth=" + auth
                + (allowInsecureAuth ? " (insecure auth allowed)" : "")
                + ", caFile=" + caFile + ", trustStore=" + trustStorePath + ", keyStore=" + keyStorePath
                + ", maxAttempts=" + maxAttempts + ", requestTimeout=" + requestTimeout + "}";
    }

    /** Builds a validated {@link SchemaRegistryConfig}; every option has a production default. */
    public static final class Builder {
        private final String url;
        private String basicAuthUser;
        private String basicAuthPassword;
        private String basicAuthPasswordVariable;
        private String bearerToken;
        private String bearerTokenVariable;
        private boolean allowInsecureAuth;
        private String caFile;
        private String trustStorePath;
        private String trustStorePassword;
        private String trustStoreType = "PKCS12";
        private String keyStorePath;
        private String keyStorePassword;
        private String keyStoreType = "PKCS12";
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private int maxAttempts = 4;
        private Duration initialBackoff = Duration.ofMillis(200);
        private Duration maxBackoff = Duration.ofSeconds(2);
        private Duration unknownIdCacheTime = Duration.ofSeconds(60);
        private Duration unknownIdRetryTime = Duration.ofMinutes(5);
        private int maxIdLag = 1000;

        private Builder(String url) {
            Objects.requireNonNull(url, "registry url");
            String trimmed = url.strip();
            while (trimmed.endsWith("/")) {
                trimmed = trimmed.substring(0, trimmed.length() - 1);
            }
            URI uri;
            try {
                uri = URI.create(trimmed);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Schema registry url is not a URL: " + url);
            }
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException(
                        "Schema registry url must be http://host[:port][/path] or https://..., got: " + url);
            }
            if (uri.getUserInfo() != null) {
                throw new IllegalArgumentException(
                        "Schema registry url must not carry credentials; use basicAuth(user, password)");
            }
            this.url = trimmed;
        }

        /** HTTP basic authentication; excludes {@link #bearerToken}. */
        public Builder basicAuth(String user, String password) {
            this.basicAuthUser = requireText(user, "basic auth user");
            this.basicAuthPassword = Objects.requireNonNull(password, "basic auth password");
            this.basicAuthPasswordVariable = null;
            return this;
        }

        /**
         * HTTP basic authentication whose password is read from the environment variable
         * {@code passwordVariable} of the JVM that talks to the registry. For a configuration that
         * travels with a job: the password stays out of the job graph, which Flink stores.
         */
        public Builder basicAuthFromEnvironment(String user, String passwordVariable) {
            this.basicAuthUser = requireText(user, "basic auth user");
            this.basicAuthPasswordVariable = requireText(passwordVariable, "password variable");
            this.basicAuthPassword = null;
            return this;
        }

        /** An OAuth/OIDC bearer token sent as {@code Authorization: Bearer}; excludes {@link #basicAuth}. */
        public Builder bearerToken(String token) {
            this.bearerToken = requireText(token, "bearer token");
            this.bearerTokenVariable = null;
            return this;
        }

        /**
         * A bearer token read from the environment variable {@code tokenVariable} of the JVM that talks
         * to the registry, so that it stays out of the job graph, which Flink stores; excludes
         * {@link #basicAuth}.
         */
        public Builder bearerTokenFromEnvironment(String tokenVariable) {
            this.bearerTokenVariable = requireText(tokenVariable, "token variable");
            this.bearerToken = null;
            return this;
        }

        /**
         * Lets credentials go to an {@code http://} registry, where anyone on the path can read them:
         * for a registry on this machine only. Off by default, so that a production configuration
         * missing its {@code https://} fails at start-up instead of leaking its password.
         */
        public Builder allowInsecureAuth(boolean allow) {
            this.allowInsecureAuth = allow;
            return this;
        }

        /**
         * Trusts the CA certificates of a PEM file (a private CA) for https, instead of the JVM's
         * default ones; excludes {@link #trustStore}. The file is read where the client is created (on
         * each TaskManager, which mounts it), not here, where a job is only configured.
         */
        public Builder caCertificates(Path pemFile) {
            this.caFile = Objects.requireNonNull(pemFile, "CA certificate file").toString();
            return this;
        }

        /** Trusted certificates for https, as a PKCS12 file unless {@link #trustStoreType} says otherwise. */
        public Builder trustStore(Path path, String password) {
            this.trustStorePath = requireReadable(path, "trust store");
            this.trustStorePassword = password;
            return this;
        }

        /** {@code PKCS12} (default) or {@code JKS}. */
        public Builder trustStoreType(String type) {
            this.trustStoreType = requireText(type, "trust store type");
            return this;
        }

        /** A client certificate and key for mutual TLS. */
        public Builder keyStore(Path path, String password) {
            this.keyStorePath = requireReadable(path, "key store");
            this.keyStorePassword = Objects.requireNonNull(password, "key store password");
            return this;
        }

        /** {@code PKCS12} (default) or {@code JKS}. */
        public Builder keyStoreType(String type) {
            this.keyStoreType = requireText(type, "key store type");
            return this;
        }

        /** Time to establish a connection (default 5 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = requirePositive(timeout, "connect timeout");
            return this;
        }

        /** Time for one request to be answered (default 10 s). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = requirePositive(timeout, "request timeout");
            return this;
        }

        /**
         * Tries per request, the first included (default 4), on connection errors, timeouts and 5xx
         * answers. A 4xx answer is never retried: asking again would get the same answer.
         */
        public Builder maxAttempts(int attempts) {
            if (attempts < 1 || attempts > 20) {
                throw new IllegalArgumentException("maxAttempts must be between 1 and 20, got " + attempts);
            }
            this.maxAttempts = attempts;
            return this;
        }

        /** Wait before the first retry (default 200 ms), doubled at each further one up to {@link #maxBackoff}. */
        public Builder initialBackoff(Duration backoff) {
            this.initialBackoff = requirePositive(backoff, "initial backoff");
            return this;
        }

        /** Longest wait between two tries (default 2 s). */
        public Builder maxBackoff(Duration backoff) {
            this.maxBackoff = requirePositive(backoff, "max backoff");
            return this;
        }

        /**
         * How long a schema id the registry answered "not found" for is remembered (default 60 s), so
         * that a burst of records with a bogus id costs one request, not one per record.
         */
        public Builder unknownIdCacheTime(Duration time) {
            this.unknownIdCacheTime = Objects.requireNonNull(time, "unknown id cache time");
            return this;
        }

        /**
         * How long a reader retries a record whose schema id the registry does not know while the
         * registry is in doubt (default 5 min), before it fails rather than dead-letter a record that
         * may be valid. See {@link #unknownIdRetryTime()}.
         */
        public Builder unknownIdRetryTime(Duration time) {
            this.unknownIdRetryTime = requirePositive(time, "unknown id retry time");
            return this;
        }

        /**
         * How far above the newest id the registry serves an unknown id is still taken for replication
         * lag (default 1000); 0 takes no id for lag, so that every id the registry does not know is a
         * dead letter when the registry holds the reader's contract.
         */
        public Builder maxIdLag(int lag) {
            if (lag < 0) {
                throw new IllegalArgumentException("maxIdLag must not be negative, got " + lag);
            }
            this.maxIdLag = lag;
            return this;
        }

        public SchemaRegistryConfig build() {
            boolean bearer = bearerToken != null || bearerTokenVariable != null;
            if (basicAuthUser != null && bearer) {
                throw new IllegalArgumentException("Use either basic auth or a bearer token, not both");
            }
            if ((basicAuthUser != null || bearer) && !url.startsWith("https://") && !allowInsecureAuth) {
                throw new IllegalArgumentException("Refusing to send schema registry credentials over plain http to "
                        + url + ": use an https:// url, or allow insecure auth for a registry on this machine");
            }
            if (caFile != null && trustStorePath != null) {
                throw new IllegalArgumentException("Use either a CA certificate file or a trust store, not both");
            }
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException("maxBackoff (" + maxBackoff + ") is shorter than initialBackoff ("
                        + initialBackoff + ")");
            }
            boolean tlsOptions = trustStorePath != null || keyStorePath != null || caFile != null;
            if (tlsOptions && !url.startsWith("https://")) {
                throw new IllegalArgumentException("A CA file, trust store or key store needs an https:// url, got " + url);
            }
            return new SchemaRegistryConfig(this);
        }

        private static String requireText(String value, String what) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(what + " must not be empty");
            }
            return value;
        }

        private static String requireReadable(Path path, String what) {
            Objects.requireNonNull(path, what);
            if (!Files.isReadable(path)) {
                throw new IllegalArgumentException(what + " is not a readable file: " + path);
            }
            return path.toString();
        }

        private static Duration requirePositive(Duration d, String what) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, got " + d);
            }
            return d;
        }
    }
}
