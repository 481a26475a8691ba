package io.tributary.localstack;

import io.tributary.localstack.internal.ChildProcessReaper;
import io.tributary.localstack.internal.KafkaBrokerProcess;
import io.tributary.localstack.internal.TempDirs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka cluster (KRaft, broker and controller combined) running inside this JVM
 * ({@link #start()}) or in a JVM of its own ({@link #startInChildJvm()}, which can be killed and
 * started again: {@link #killAndRestart()}), with its data in a temporary directory that is
 * deleted on {@link #close()}.
 *
 * <p>Topics are not created automatically: tests create theirs with {@link #createTopics}, so a
 * misspelt topic name fails instead of silently reading an empty new topic.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);
    private static final Duration LEADER_TIMEOUT = Duration.ofSeconds(30);

    /** The in-process cluster; null when the broker runs in a child JVM. */
    private final KafkaClusterTestKit cluster;
    /** The broker's own JVM; null when it runs in this one. */
    private final KafkaBrokerProcess child;
    private final Path directory;
    private final String bootstrapServers;
    /** What this class's own clients (topic creation, {@link #newAdmin()}) add to the bootstrap servers. */
    private final Map<String, String> clientSecurity;
    private boolean closed;

    KafkaBroker(KafkaClusterTestKit cluster, KafkaBrokerProcess child, Path directory, String bootstrapServers,
            Map<String, String> clientSecurity) {
        this.cluster = cluster;
        this.child = child;
        this.directory = directory;
        this.bootstrapServers = bootstrapServers;
        this.clientSecurity = Map.copyOf(clientSecurity);
    }

    /**
     * Starts a broker in a JVM of its own on free ports; returns once it accepts clients. For tests
     * that kill the broker, or keep its threads and heap apart from what they measure.
     */
    public static KafkaBroker startInChildJvm() {
        long startedAt = System.nanoTime();
        Path directory = TempDirs.create("tributary-kafka-");
        ChildProcessReaper.forThisJvm().deleteOnDeath(directory);
        KafkaBrokerProcess child;
        try {
            child = KafkaBrokerProcess.format(directory);
            child.start();
        } catch (RuntimeException e) {
            // Keep the directory: its logs explain the failure.
            throw new IllegalStateException("Could not start a Kafka broker in a child JVM in " + directory + ": "
                    + e.getMessage(), e);
        }
        KafkaBroker broker = new KafkaBroker(null, child, directory, child.bootstrapServers(), Map.of());
        LOG.info("Kafka broker at {} started in a child JVM (pid {}) in {} ms", broker.bootstrapServers(), child.pid(),
                Duration.ofNanos(System.nanoTime() - startedAt).toMillis());
        return broker;
    }

    /**
     * Kills the broker's JVM with SIGKILL and starts it again on the same ports and data; returns
     * once it accepts clients again. Only for a broker in a child JVM.
     */
    public void killAndRestart() throws InterruptedException {
        if (child == null) {
            throw new IllegalStateException("Only a broker in a child JVM can be killed and restarted");
        }
        child.kill();
        child.start();
    }

    /** The pid of the broker's own JVM, or this JVM's when it runs in-process. */
    public long pid() {
        return child == null ? ProcessHandle.current().pid() : child.pid();
    }

    /** Starts a broker on a free port; returns once it accepts clients. */
    public static KafkaBroker start() {
        long startedAt = System.nanoTime();
        Path directory = TempDirs.create("tributary-kafka-");
        ChildProcessReaper.forThisJvm().deleteOnDeath(directory);
        KafkaClusterTestKit cluster = startCluster(directory, nodes -> { }, Map.of());
        KafkaBroker broker = new KafkaBroker(cluster, null, directory, cluster.bootstrapServers(), Map.of());
        LOG.info("Kafka broker at {} started in {} ms", broker.bootstrapServers(),
                Duration.ofNanos(System.nanoTime() - startedAt).toMillis());
        return broker;
    }

    /**
     * Starts the single-node cluster with its data in {@code directory}, which is deleted if it
     * fails to start.
     *
     * @param listeners sets the names and protocols of the broker's and controller's listeners
     * @param config broker settings beyond the ones every broker here has
     */
    static KafkaClusterTestKit startCluster(Path directory, Consumer<TestKitNodes.Builder> listeners,
            Map<String, String> config) {
        KafkaClusterTestKit cluster = null;
        try {
            TestKitNodes.Builder nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBaseDirectory(directory)
                    // The test kit boots an unreleased metadata version by default; run what production runs.
                    .setBootstrapMetadataVersion(MetadataVersion.latestProduction());
            listeners.accept(nodes);
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes.build())
                    .setConfigProp("auto.create.topics.enable", "false")
                    .setConfigProp("unstable.api.versions.enable", "false")
                    .setConfigProp("unstable.feature.versions.enable", "false")
                    // One broker: internal topics cannot have more replicas than that.
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    // Consumer groups start at once instead of waiting for more members to join.
                    .setConfigProp("group.initial.rebalance.delay.ms", "0");
            config.forEach(builder::setConfigProp);
            cluster = builder.build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return cluster;
        } catch (Exception e) {
            closeQuietly(cluster);
            TempDirs.deleteRecursively(directory);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("Could not start the in-process Kafka broker in " + directory + ": " + e, e);
        }
    }

    /** The {@code bootstrap.servers} value for clients, e.g. {@code localhost:41234}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The cluster itself, for {@link SecuredKafkaBroker} to find its listeners. */
    KafkaClusterTestKit cluster() {
        return cluster;
    }

    /**
     * A new properties object holding {@code bootstrap.servers} (and, for a {@link SecuredKafkaBroker},
     * the administrator's credentials), to add client settings to.
     */
    public Properties clientProperties() {
        Properties properties = new Properties();
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        properties.putAll(clientSecurity);
        return properties;
    }

    /** A new admin client for this broker; the caller closes it. */
    public Admin newAdmin() {
        return Admin.create(clientProperties());
    }

    /** Creates one topic with replication factor 1; see {@link #createTopics}. */
    public void createTopic(String name, int partitions) {
        createTopics(List.of(new NewTopic(name, partitions, (short) 1)));
    }

    /**
     * Creates the topics that do not exist yet (existing ones are left as they are) and returns
     * once every partition of every topic has a leader that serves it, so producers and consumers
     * can use them at once.
     */
    public void createTopics(Collection<NewTopic> topics) {
        Set<String> names = topics.stream().map(NewTopic::name).collect(Collectors.toCollection(TreeSet::new));
        try (Admin admin = newAdmin()) {
            for (Map.Entry<String, KafkaFuture<Void>> created
                    : admin.createTopics(topics).values().entrySet()) {
                try {
                    created.getValue().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Could not create Kafka topic '" + created.getKey() + "': "
                                + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
            awaitLeaders(admin, names);
            awaitServed(admin, names);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating Kafka topics " + names, e);
        }
    }

    private static void awaitLeaders(Admin admin, Set<String> names) throws InterruptedException {
        long deadline = System.nanoTime() + LEADER_TIMEOUT.toNanos();
        Set<String> waitingFor = names;
        while (true) {
            try {
                Map<String, TopicDescription> descriptions = admin.describeTopics(names).allTopicNames().get();
                waitingFor = descriptions.values().stream()
                        .filter(topic -> topic.partitions().stream().anyMatch(p -> p.leader() == null || p.leader().isEmpty()))
                        .map(TopicDescription::name)
                        .collect(Collectors.toCollection(TreeSet::new));
                if (waitingFor.isEmpty()) {
                    return;
                }
            } catch (ExecutionException e) {
                // A topic that was just created may not be in the metadata yet.
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("Could not describe Kafka topics " + names + ": "
                            + e.getCause().getMessage(), e.getCause());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Kafka topics " + waitingFor + " still have partitions without a leader after "
                        + LEADER_TIMEOUT.toSeconds() + " s; the broker is overloaded or unhealthy, see its log");
            }
            Thread.sleep(50);
        }
    }

    /**
     * The metadata names a leader before that broker has created the partition's log; a produce
     * request in between is refused (NOT_LEADER_OR_FOLLOWER), and an idempotent producer whose
     * first batch is refused while later ones land can then stall on out-of-order sequence
     * numbers. Listing offsets is answered by the leader's own replica manager, and retried by the
     * admin client until the partition is online there.
     */
    private static void awaitServed(Admin admin, Set<String> names) throws InterruptedException {
        try {
            Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
            admin.describeTopics(names).allTopicNames().get().values().forEach(topic -> topic.partitions()
                    .forEach(p -> partitions.put(new TopicPartition(topic.name(), p.partition()), OffsetSpec.latest())));
            admin.listOffsets(partitions).all().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka topics " + names + " are not served by their leader: "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    /** Stops the broker and deletes its data. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (child != null) {
                child.stop();
            } else {
                cluster.close();
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("Could not stop the Kafka broker at " + bootstrapServers() + ": " + e, e);
        } finally {
            TempDirs.deleteRecursively(directory);
        }
    }

    private static void closeQuietly(KafkaClusterTestKit cluster) {
        if (cluster == null) {
            return;
        }
        try {
            cluster.close();
        } catch (Exception e) {
            LOG.warn("Could not stop a Kafka broker that failed to start", e);
        }
    }
}
