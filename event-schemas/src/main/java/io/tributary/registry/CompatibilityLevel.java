package io.tributary.registry;

/**
 * The compatibility promise a subject makes to its readers and writers, with the Confluent Schema
 * Registry's names and meaning.
 */
public enum CompatibilityLevel {
    /** No promise: any change is accepted. */
    NONE(false, false, false),
    /** The new schema reads data written with the latest released one; consumers upgrade first. */
    BACKWARD(true, false, false),
    /** As {@link #BACKWARD}, against every released version. */
    BACKWARD_TRANSITIVE(true, false, true),
    /** The latest released schema reads data written with the new one; producers upgrade first. */
    FORWARD(false, true, false),
    /** As {@link #FORWARD}, against every released version. */
    FORWARD_TRANSITIVE(false, true, true),
    /** Both {@link #BACKWARD} and {@link #FORWARD}. */
    FULL(true, true, false),
    /** Both, against every released version. */
    FULL_TRANSITIVE(true, true, true);

    private final boolean backward;
    private final boolean forward;
    private final boolean transitive;

    CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
        this.backward = backward;
        this.forward = forward;
        this.transitive = transitive;
    }

    /** Whether the new schema must read data written with the old ones. */
    public boolean backward() {
        return backward;
    }

    /** Whether the old schemas must read data written with the new one. */
    public boolean forward() {
        return forward;
    }

    /** Whether the check covers every released version rather than only the latest. */
    public boolean transitive() {
        return transitive;
    }
}
