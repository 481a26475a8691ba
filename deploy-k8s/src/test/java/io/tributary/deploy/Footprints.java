package io.tributary.deploy;

import io.tributary.jobs.catalog.JobCatalog;
import io.tributary.jobs.common.JobFootprint;
import io.tributary.jobs.common.JobSecrets;
import io.tributary.jobs.common.TributaryJob;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;

/**
 * What a deployed job touches outside itself, worked out by the job's own code (its entry in
 * {@link JobCatalog}) from the deployment's configuration, plus the environment variables that its
 * Kafka client properties read: a new job is checked as soon as it is in the catalog.
 */
final class Footprints {
    /**
     * What a deployed job touches outside itself. {@code transactionalIdPrefix} is null for a job
     * that writes no Kafka topic.
     */
    record Footprint(boolean stateful, String groupId, String transactionalIdPrefix, List<String> inputs,
            List<String> outputs, Set<String> kafkaEnvironment) {}

    /** Stands in for every Secret-backed variable: a valid 32-byte base64 key, and a password. */
    private static final String PLACEHOLDER = Base64.getEncoder().encodeToString(new byte[32]);

    /** Kafka's EnvVarConfigProvider placeholder, {@code ${env:NAME}}. */
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z0-9_]+)}");

    private Footprints() {}

    /**
     * Runs the job's own start-up checks on its configuration, with the environment the pods get
     * from Secrets (names only; placeholder values).
     *
     * @throws IllegalArgumentException with the job's own message when it would refuse to start
     */
    static Footprint of(String job, Configuration configuration, Set<String> secretEnvironment) {
        Map<String, String> environment = secretEnvironment.stream()
                .collect(Collectors.toMap(Function.identity(), v -> PLACEHOLDER));
        JobFootprint footprint = footprint(JobCatalog.named(job), configuration, JobSecrets.fromEnvironment(environment));
        return new Footprint(footprint.stateful(), footprint.groupId(), footprint.transactionalIdPrefix(),
                footprint.inputs(), footprint.outputs(), environmentReferences(footprint.kafkaClientProperties()));
    }

    private static <S> JobFootprint footprint(TributaryJob<S> job, Configuration configuration, JobSecrets secrets) {
        return job.footprint(job.settings(configuration, secrets));
    }

    /** Variables named by Kafka's EnvVarConfigProvider placeholders, {@code ${env:NAME}}. */
    private static Set<String> environmentReferences(Map<String, String> clientProperties) {
        return clientProperties.values().stream()
                .flatMap(v -> ENV_REFERENCE.matcher(v).results())
                .map(m -> m.group(1))
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
