package io.tributary.registry;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a registry's "no schema with this id" can be believed. It cannot when the registry is not
 * the one that registered the reader's contract (empty after a restore, another environment's, a
 * replica that never synced: the contract's subject is missing), when it cannot be asked, or when
 * the id is just above the newest id it serves (a replica that has not caught up). A reader then
 * waits rather than rejecting a record that may be valid; otherwise the id is unknown and the record
 * is bad.
 *
 * <p>The check costs one request per subject and is remembered for {@link #CHECK_CACHE_TIME}, so that
 * a burst of unknown ids costs one request, not one per record. Thread-safe.
 */
public final class RegistryTrust {
    /** How long what the registry said about a subject is taken as still true. */
    public static final Duration CHECK_CACHE_TIME = Duration.ofSeconds(5);

    private final SchemaRegistryClient client;
    private final Map<String, SubjectCheck> checks = new ConcurrentHashMap<>();

    public RegistryTrust(SchemaRegistryClient client) {
        this.client = client;
    }

    /**
     * Why the registry's "unknown" for {@code schemaId} cannot be believed by a reader of
     * {@code subject}'s contract, in words naming the registry; empty when it can.
     */
    public Optional<String> doubt(int schemaId, String subject) {
        SubjectCheck check = checks.compute(subject, (s, cached) -> cached != null && cached.fresh() ? cached : ask(s));
        String url = client.config().url();
        if (check.problem != null) {
            return Optional.of("the schema registry at " + url + " " + check.problem);
        }
        int newest = Math.max(check.latestId, client.newestIdServed());
        if (schemaId > newest && (long) schemaId - newest <= client.config().maxIdLag()) {
            return Optional.of("schema id " + schemaId + " is above the newest id (" + newest + ") the schema registry at "
                    + url + " serves: a replica that has not caught up, or a registry restored from an older backup");
        }
        return Optional.empty();
    }

    private SubjectCheck ask(String subject) {
        try {
            return SubjectCheck.found(client.latestVersion(subject).id());
        } catch (SubjectNotFoundException e) {
            return SubjectCheck.problem("has no subject " + subject + " (it is empty, restored without the"
                    + " contracts, or not the registry the producers write to)");
        } catch (RegistryUnavailableException e) {
            return SubjectCheck.problem("cannot be reached: " + e.getMessage());
        } catch (SchemaRegistryException e) {
            return SubjectCheck.problem("refused to show subject " + subject + ": " + e.getMessage());
        }
    }

    /** What the registry said about a subject, and when. */
    private record SubjectCheck(int latestId, String problem, long checkedAt) {
        static SubjectCheck found(int latestId) {
            return new SubjectCheck(latestId, null, System.nanoTime());
        }

        static SubjectCheck problem(String problem) {
            return new SubjectCheck(0, problem, System.nanoTime());
        }

        boolean fresh() {
            return System.nanoTime() - checkedAt < CHECK_CACHE_TIME.toNanos();
        }
    }
}
