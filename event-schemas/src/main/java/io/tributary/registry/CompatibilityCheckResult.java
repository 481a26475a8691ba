package io.tributary.registry;

import java.util.List;

/**
 * What the registry said about a candidate schema for a subject.
 *
 * @param compatible whether registering it would be accepted
 * @param newSubject true when the subject has no version yet, so anything is compatible
 * @param messages the registry's explanation when it is not (may be empty)
 */
public record CompatibilityCheckResult(boolean compatible, boolean newSubject, List<String> messages) {}
