package io.tributary.jobs.common;

import io.tributary.jobs.pii.TokenizationKey;
import io.tributary.jobs.pii.TokenizationKeySource;
import java.util.Map;
import java.util.Objects;

/**
 * Where a job's secrets come from when it starts: passwords from environment variables, and the
 * tokenization key either from an environment variable of every JVM that runs the job's operators
 * (a Kubernetes Secret: it never enters the job graph) or, for the local run and tests, whose tasks
 * run in the launching JVM, handed over inline.
 */
public final class JobSecrets {
    /** A tokenization key as the operators will load it, and its id for the start-up line. */
    public record Key(TokenizationKeySource source, String keyId) {}

    private final Map<String, String> environment;
    /** The key handed over inline, or null: then it is read from the environment. */
    private final TokenizationKey inlineKey;

    private JobSecrets(Map<String, String> environment, TokenizationKey inlineKey) {
        this.environment = Map.copyOf(environment);
        this.inlineKey = inlineKey;
    }

    /** Secrets from {@code environment}, which for a job started on a cluster is the process's own. */
    public static JobSecrets fromEnvironment(Map<String, String> environment) {
        return new JobSecrets(environment, null);
    }

    /** The key itself, for jobs whose operators run in this JVM; passwords from {@code environment}. */
    public static JobSecrets withInlineKey(TokenizationKey key, Map<String, String> environment) {
        return new JobSecrets(environment, Objects.requireNonNull(key, "key"));
    }

    /** The variables that may hold passwords (registry, PostgreSQL, Redis), by name. */
    public Map<String, String> environment() {
        return environment;
    }

    /**
     * The tokenization key that the operators will load, checked now so that a missing or malformed
     * key fails before submission.
     *
     * @param variable the environment variable the job's configuration names for the key
     * @throws IllegalArgumentException naming the variable when the key is missing
     */
    public Key tokenizationKey(String variable) {
        if (inlineKey != null) {
            return new Key(TokenizationKeySource.inline(inlineKey), inlineKey.keyId());
        }
        String key = environment.get(variable);
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("The tokenization key is missing: set the environment variable "
                    + variable + " to a base64 key of at least 32 bytes");
        }
        return new Key(TokenizationKeySource.environment(variable), TokenizationKey.fromBase64(key).keyId());
    }
}
