package io.tributary.jobs.common.internal;

import io.tributary.jobs.common.KafkaOptions;
import io.tributary.registry.RegistryTrust;
import io.tributary.registry.RegistryUnavailableException;
import io.tributary.registry.SchemaRegistryClient;
import io.tributary.registry.SchemaRegistryConfig;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Optional;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.TimeUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a decoder does when the registry cannot give a record's writer schema, so that a registry
 * problem never dead-letters valid records (issue 14):
 *
 * <ul>
 *   <li>the registry does not know the id, and {@link RegistryTrust} believes it (it holds the
 *       decoder's contract, the id is not just above its newest): the record is bad, a dead letter;
 *   <li>the registry does not know the id but is in doubt (empty, lacking the contract, behind the
 *       id), or cannot be reached: the decoder waits with back-off and decodes again, counting each
 *       wait in {@code registryUnavailableRetries}; after {@code tributary.registry.max-retry-time} it
 *       fails with one line naming the registry and what is missing, so that Flink restarts the job
 *       from its last checkpoint and nothing is lost.
 * </ul>
 *
 * <p>Waiting blocks the source's partition, as a store that is down blocks its writer: the outputs
 * stall rather than lose or divert records. One per decoder instance; not thread-safe.
 */
public final class RegistryDoubtRetry {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryDoubtRetry.class);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(200);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(5);

    private final SchemaRegistryClient client;
    private final RegistryTrust trust;
    private final String subject;
    private final Duration maxRetryTime;
    private final Counter retries;
    /** When the registry came into doubt ({@link System#nanoTime}), or -1 while it is trusted. */
    private long doubtSince = -1;
    private Duration pause = FIRST_PAUSE;

    /**
     * @param subject the subject of the decoder's contract, which a registry it can trust must hold
     * @param metrics where {@code registryUnavailableRetries} is counted
     */
    public RegistryDoubtRetry(SchemaRegistryConfig registry, String subject, MetricGroup metrics) {
        this.client = SchemaRegistryClient.shared(registry);
        this.trust = new RegistryTrust(client);
        this.subject = subject;
        this.maxRetryTime = registry.unknownIdRetryTime();
        this.retries = metrics.counter("registryUnavailableRetries");
    }

    /**
     * Called when the registry does not know {@code schemaId}: false if that can be believed (the
     * record is a dead letter); else waits and returns true, to decode again.
     *
     * @throws IOException when the registry has been in doubt longer than the maximum retry time
     */
    public boolean retryUnknownId(int schemaId) throws IOException {
        Optional<String> doubt = trust.doubt(schemaId, subject);
        if (doubt.isEmpty()) {
            settled();
            return false;
        }
        client.forgetUnknownId(schemaId);
        await("Schema id " + schemaId + " is unknown, but " + doubt.get());
        return true;
    }

    /** Called when the registry could not be asked at all: waits, to decode again. */
    public void retryUnreachable(RegistryUnavailableException e) throws IOException {
        await(e.getMessage());
    }

    /** Called when a record decoded or was judged: the registry is trusted again. */
    public void settled() {
        if (doubtSince >= 0) {
            LOG.info("The schema registry at {} answers for subject {} again after {}; records flow on",
                    client.config().url(), subject, format(Duration.ofNanos(System.nanoTime() - doubtSince)));
            doubtSince = -1;
            pause = FIRST_PAUSE;
        }
    }

    private void await(String why) throws IOException {
        long now = System.nanoTime();
        if (doubtSince < 0) {
            doubtSince = now;
            LOG.warn("{}. Not dead-lettering the record: retrying for up to {}", why, format(maxRetryTime));
        } else if (now - doubtSince > maxRetryTime.toNanos()) {
            String line = why + ". Retried for " + format(maxRetryTime) + " (" + KafkaOptions.REGISTRY_MAX_RETRY_TIME.key()
                    + "); failing so that the job restarts from its last checkpoint, with no record dead-lettered";
            doubtSince = -1;
            pause = FIRST_PAUSE;
            LOG.error(line);
            throw new IOException(line);
        }
        retries.inc();
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while waiting for the schema registry");
        }
        pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
    }

    private static String format(Duration d) {
        return TimeUtils.formatWithHighestUnit(d);
    }
}
