package io.tributary.jobs.common.internal;

import io.tributary.jobs.common.JobFootprint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before a job starts, asks Kafka, with the job's own credentials, whether its principal may do what
 * the job will do. A job without an ACL it needs otherwise fails inside a source or sink after
 * submission and restarts from its checkpoint again and again, the cause buried in the TaskManager
 * log; this makes it a refusal to start with one line naming each missing permission.
 *
 * <p>Only authorization is judged: a topic that does not exist or a cluster that cannot be reached
 * in time is left to the job, as before (logged, not refused).
 */
public final class KafkaAccessCheck {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaAccessCheck.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** The transactional id of the probe, under the job's prefix and apart from every sink's. */
    static final String PROBE_SUFFIX = "-access-check";
    private static final String CLIENT_ID = "tributary-access-check";

    /** One thing the job's principal must be allowed, as an ACL grants it. */
    public record Permission(AclOperation operation, ResourceType type, String name, PatternType pattern) {
        @Override
        public String toString() {
            String what = operation.name() + " on " + type.name().toLowerCase(Locale.ROOT).replace("transactional_id",
                    "transactional-id") + " '" + name + "'";
            return pattern == PatternType.PREFIXED ? what + " (prefixed)" : what;
        }
    }

    private KafkaAccessCheck() {}

    /**
     * What a job with {@code footprint} needs: READ on its inputs and group, WRITE on its outputs and,
     * when it writes transactions, WRITE on the transactional ids under its prefix (a PREFIXED ACL).
     * READ and WRITE imply DESCRIBE.
     */
    public static List<Permission> required(JobFootprint footprint) {
        List<Permission> needed = new ArrayList<>();
        footprint.inputs().forEach(t -> needed.add(topic(AclOperation.READ, t)));
        footprint.outputs().forEach(t -> needed.add(topic(AclOperation.WRITE, t)));
        if (footprint.groupId() != null && !footprint.inputs().isEmpty()) {
            needed.add(new Permission(AclOperation.READ, ResourceType.GROUP, footprint.groupId(), PatternType.LITERAL));
        }
        if (footprint.transactionalIdPrefix() != null && !footprint.outputs().isEmpty()) {
            needed.add(new Permission(AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, footprint.transactionalIdPrefix(),
                    PatternType.PREFIXED));
        }
        return needed;
    }

    private static Permission topic(AclOperation operation, String name) {
        return new Permission(operation, ResourceType.TOPIC, name, PatternType.LITERAL);
    }

    /**
     * Checks every permission of {@link #required}.
     *
     * @throws IllegalStateException with one line naming what is missing, or why Kafka refused to
     *     authenticate the job
     */
    public static void verify(JobFootprint footprint) {
        if (footprint.bootstrapServers() == null) {
            return;
        }
        Properties client = new Properties();
        client.putAll(footprint.kafkaClientProperties());
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, footprint.bootstrapServers());
        List<Permission> missing = new ArrayList<>();
        try (Admin admin = Admin.create(withTimeouts(client))) {
            for (Permission p : required(footprint)) {
                if (p.type() == ResourceType.TOPIC) {
                    check(p, describeTopic(admin, p.name()), missing);
                } else if (p.type() == ResourceType.GROUP) {
                    check(p, describeGroup(admin, p.name()), missing);
                } else if (!mayWriteTransactions(client, p.name())) {
                    missing.add(p);
                }
            }
        } catch (AuthenticationException e) {
            throw new IllegalStateException("Kafka at " + footprint.bootstrapServers() + " refused to authenticate the job ("
                    + e.getMessage() + "); check security.protocol, sasl.* and ssl.* in tributary.kafka.client-properties");
        } catch (TimeoutException e) {
            LOG.warn("Could not check the job's Kafka permissions at {} within {} s; starting anyway",
                    footprint.bootstrapServers(), TIMEOUT.toSeconds());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while checking the job's Kafka permissions", e);
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException(refusal(missing));
        }
    }

    /** The line a job that lacks {@code missing} fails with. */
    static String refusal(List<Permission> missing) {
        return "Kafka denies this job's principal " + String.join(", ", missing.stream().map(Permission::toString).toList())
                + ": grant these ACLs to the job's user (see 'Kafka security' in the README)";
    }

    /** Whether {@code granted} (null: Kafka did not say) covers {@code p}; missing ones are added to {@code missing}. */
    static void check(Permission p, Set<AclOperation> granted, List<Permission> missing) {
        if (granted != null && !granted.contains(p.operation()) && !granted.contains(AclOperation.ALL)) {
            missing.add(p);
        }
    }

    private static Set<AclOperation> describeTopic(Admin admin, String topic) throws InterruptedException, TimeoutException {
        return authorized(admin.describeTopics(List.of(topic), new DescribeTopicsOptions().includeAuthorizedOperations(true))
                .topicNameValues().get(topic), TopicDescription::authorizedOperations, TopicAuthorizationException.class,
                "topic " + topic);
    }

    private static Set<AclOperation> describeGroup(Admin admin, String group) throws InterruptedException, TimeoutException {
        return authorized(admin.describeConsumerGroups(List.of(group),
                new DescribeConsumerGroupsOptions().includeAuthorizedOperations(true)).describedGroups().get(group),
                ConsumerGroupDescription::authorizedOperations, GroupAuthorizationException.class, "group " + group);
    }

    /**
     * The operations Kafka says the principal may do on what {@code described} describes: none when
     * it denies DESCRIBE ({@code denied}); null when it cannot say (the resource does not exist).
     */
    private static <T> Set<AclOperation> authorized(KafkaFuture<T> described, Function<T, Set<AclOperation>> operations,
            Class<? extends Exception> denied, String what) throws InterruptedException, TimeoutException {
        try {
            Set<AclOperation> allowed = operations.apply(described.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            return allowed == null ? null : new LinkedHashSet<>(allowed);
        } catch (ExecutionException e) {
            return deniedOrUnknown(e, denied, what);
        }
    }

    private static Set<AclOperation> deniedOrUnknown(ExecutionException e, Class<? extends Exception> denied, String what)
            throws TimeoutException {
        if (denied.isInstance(e.getCause())) {
            return Set.of();
        }
        if (e.getCause() instanceof AuthenticationException authentication) {
            throw authentication;
        }
        if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
            throw new TimeoutException(e.getCause().getMessage());
        }
        // Not an authorization matter (a topic not created yet, a group never used): the job will tell.
        LOG.info("Kafka permissions on {} not checked: {}", what, e.getCause().toString());
        return null;
    }

    /**
     * Kafka cannot be asked whether a principal may use transactional ids it has not used yet, so a
     * producer under the job's prefix initializes one: this writes no record, only registers the id
     * with the transaction coordinator, as every sink's own ids are.
     */
    private static boolean mayWriteTransactions(Properties client, String prefix) throws TimeoutException {
        Properties properties = new Properties();
        properties.putAll(client);
        properties.put(CommonClientConfigs.CLIENT_ID_CONFIG, CLIENT_ID);
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, prefix + PROBE_SUFFIX);
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(TIMEOUT.toMillis()));
        try (var producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            return true;
        } catch (TransactionalIdAuthorizationException e) {
            return false;
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new TimeoutException(e.getMessage());
        }
    }

    private static Properties withTimeouts(Properties client) {
        Properties properties = new Properties();
        properties.putAll(client);
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(TIMEOUT.toMillis()));
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(TIMEOUT.toMillis() / 2));
        properties.put(CommonClientConfigs.CLIENT_ID_CONFIG, CLIENT_ID);
        return properties;
    }
}
