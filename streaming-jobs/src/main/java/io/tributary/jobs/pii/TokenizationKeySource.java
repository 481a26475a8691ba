package io.tributary.jobs.pii;

import java.io.Serializable;
import java.util.Objects;

/**
 * Where an operator gets the tokenization key when it starts. In production the key is read from
 * the environment of each task manager (a Kubernetes Secret), so that it is never part of the job
 * graph, which Flink stores and ships around. Tests and the local run, whose tasks run in the same
 * JVM as the client, pass it inline.
 */
public interface TokenizationKeySource extends Serializable {
    /** Loads the key; called in the operator's open(). */
    TokenizationKey load();

    /** The key from the environment variable {@code variable} of the JVM the operator runs in. */
    static TokenizationKeySource environment(String variable) {
        Objects.requireNonNull(variable, "variable");
        return () -> TokenizationKey.fromEnvironment(variable);
    }

    /** The key itself, carried with the job: for tests and the local run only. */
    static TokenizationKeySource inline(TokenizationKey key) {
        Objects.requireNonNull(key, "key");
        return () -> key;
    }
}
