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
 *     .basicAuth("svc-tributary", password)
 *     .trustStore(Path.of("/etc/tributary/truststore.p12"), trustStorePassword)
 *     .maxAttempts(5)
 *     .build();
 * }</pre>
 */
public final class SchemaRegistryConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String url;
    private final String basicAuthUser;
    private final String basicAuthPassword;
    private final String basicAuthPasswordVariable;
    private final String bearerToken;
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

    private SchemaRegistryConfig(Builder b) {
        this.url = b.url;
        this.basicAuthUser = b.basicAuthUser;
        this.basicAuthPassword = b.basicAuthPassword;
        this.basicAuthPasswordVariable = b.basicAuthPasswordVariable;
        this.bearerToken = b.bearerToken;
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

    public String bearerToken() {
        return bearerToken;
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
                && unknownIdCacheTime.equals(other.unknownIdCacheTime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(url, basicAuthUser, bearerToken, trustStorePath, keyStorePath, maxAttempts);
    }

    @Override
    public String toString() {
        String auth = basicAuthUser == null ? (bearerToken != null ? "bearer" : "none")
                : "basic(" + basicAuthUser + (basicAuthPasswordVariable != null ? ", password from $"
                        + basicAuthPasswordVariable : "") + ")";
        return "SchemaRegistryConfig{url=" + url + ", auth=" + auth
                + ", trustStore=" + trustStorePath + ", keyStore=" + keyStorePath
                + ", maxAttempts=" + maxAttempts + ", requestTimeout=" + requestTimeout + "}";
    }

    /** Builds a validated {@link SchemaRegistryConfig}; every option has a production default. */
    public static final class Builder {
        private final String url;
        private String basicAuthUser;
        private String basicAuthPassword;
        private String basicAuthPasswordVariable;
        private String bearerToken;
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

        public SchemaRegistryConfig build() {
            if (basicAuthUser != null && bearerToken != null) {
                throw new IllegalArgumentException("Use either basic auth or a bearer token, not both");
            }
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException("maxBackoff (" + maxBackoff + ") is shorter than initialBackoff ("
                        + initialBackoff + ")");
            }
            boolean tlsOptions = trustStorePath != null || keyStorePath != null;
            if (tlsOptions && !url.startsWith("https://")) {
                throw new IllegalArgumentException("A trust store or key store needs an https:// url, got " + url);
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
