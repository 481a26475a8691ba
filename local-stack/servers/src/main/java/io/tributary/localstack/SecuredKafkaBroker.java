package io.tributary.localstack;

import io.tributary.localstack.internal.ChildProcessReaper;
import io.tributary.localstack.internal.Secrets;
import io.tributary.localstack.internal.SelfSignedTls;
import io.tributary.localstack.internal.TempDirs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka cluster in this JVM as a secured production cluster runs: clients connect over
 * SASL_SSL with SCRAM-SHA-512 to a certificate signed by a CA made for this run, and may do only
 * what ACLs allow them ({@code StandardAuthorizer}, nothing allowed where no ACL is found). The
 * user {@value #ADMIN} is a super user; {@link #asAdmin()} creates topics as it. Tests create
 * further users and grant them ACLs.
 *
 * <p>Only the client listener is secured that way: SCRAM credentials live in the cluster metadata,
 * so KRaft cannot use them between controller and broker. Those two listeners take SASL/PLAIN with
 * a password that never leaves this JVM, on {@code localhost}; nothing outside this class is given
 * their address.
 */
public final class SecuredKafkaBroker implements AutoCloseable {
    /** The super user, whose credentials {@link #asAdmin()} carries. */
    public static final String ADMIN = "admin";
    /** The SCRAM mechanism of the client listener. */
    public static final String SASL_MECHANISM = "SCRAM-SHA-512";

    private static final Logger LOG = LoggerFactory.getLogger(SecuredKafkaBroker.class);
    private static final String BROKER_USER = "broker";
    private static final ListenerName INTERNAL = new ListenerName("INTERNAL");
    private static final ListenerName CONTROLLER = new ListenerName("CONTROLLER");
    private static final ListenerName CLIENTS = new ListenerName("CLIENTS");
    private static final Duration PROPAGATION_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaBroker admin;
    private final SelfSignedTls tls;

    private SecuredKafkaBroker(KafkaBroker admin, SelfSignedTls tls) {
        this.admin = admin;
        this.tls = tls;
    }

    /** Starts the broker and makes the administrator; returns once the administrator can connect. */
    public static SecuredKafkaBroker start() {
        long startedAt = System.nanoTime();
        var directory = TempDirs.create("tributary-secured-kafka-");
        ChildProcessReaper.forThisJvm().deleteOnDeath(directory);
        SelfSignedTls tls = SelfSignedTls.create(directory);
        String brokerPassword = Secrets.random();
        String internalJaas = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + BROKER_USER
                + "\" password=\"" + brokerPassword + "\" user_" + BROKER_USER + "=\"" + brokerPassword + "\";";
        KafkaClusterTestKit cluster = startCluster(directory, tls, internalJaas);
        String adminPassword = Secrets.random();
        KafkaBroker broker;
        try {
            Properties internal = new Properties();
            internal.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
            internal.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SecurityProtocol.SASL_PLAINTEXT.name);
            internal.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
            internal.put(SaslConfigs.SASL_JAAS_CONFIG, internalJaas);
            try (Admin bootstrapAdmin = Admin.create(internal)) {
                createUser(bootstrapAdmin, ADMIN, adminPassword);
            }
            int port = cluster.brokers().values().iterator().next().boundPort(CLIENTS);
            broker = new KafkaBroker(cluster, null, directory, "localhost:" + port, clientSecurity(tls, ADMIN, adminPassword));
        } catch (RuntimeException e) {
            new KafkaBroker(cluster, null, directory, cluster.bootstrapServers(), Map.of()).close();
            throw e;
        }
        LOG.info("Secured Kafka broker (SASL_SSL, {}, ACLs) at {} started in {} ms", SASL_MECHANISM,
                broker.bootstrapServers(), Duration.ofNanos(System.nanoTime() - startedAt).toMillis());
        return new SecuredKafkaBroker(broker, tls);
    }

    private static KafkaClusterTestKit startCluster(Path directory, SelfSignedTls tls, String internalJaas) {
        String clients = CLIENTS.configPrefix();
        return KafkaBroker.startCluster(directory, nodes -> nodes
                .setBrokerListenerName(INTERNAL)
                .setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                .setControllerListenerName(CONTROLLER)
                .setControllerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT), Map.ofEntries(
                // The test kit binds INTERNAL and CONTROLLER on ports of its own whatever these say; port 0
                // gives CLIENTS a free one, which the broker advertises as it is bound.
                Map.entry("listeners", INTERNAL.value() + "://localhost:0," + CONTROLLER.value() + "://localhost:0,"
                        + CLIENTS.value() + "://localhost:0"),
                Map.entry("listener.security.protocol.map", INTERNAL.value() + ":SASL_PLAINTEXT," + CONTROLLER.value()
                        + ":SASL_PLAINTEXT," + CLIENTS.value() + ":SASL_SSL"),
                Map.entry("sasl.enabled.mechanisms", SASL_MECHANISM),
                Map.entry(INTERNAL.configPrefix() + "sasl.enabled.mechanisms", "PLAIN"),
                Map.entry(CONTROLLER.configPrefix() + "sasl.enabled.mechanisms", "PLAIN"),
                Map.entry("sasl.mechanism.inter.broker.protocol", "PLAIN"),
                Map.entry("sasl.mechanism.controller.protocol", "PLAIN"),
                Map.entry(INTERNAL.configPrefix() + "plain.sasl.jaas.config", internalJaas),
                Map.entry(CONTROLLER.configPrefix() + "plain.sasl.jaas.config", internalJaas),
                Map.entry(clients + "scram-sha-512.sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;"),
                Map.entry(clients + SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PKCS12"),
                Map.entry(clients + SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, tls.keyStore().toString()),
                Map.entry(clients + SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, tls.password()),
                Map.entry(clients + SslConfigs.SSL_KEY_PASSWORD_CONFIG, tls.password()),
                Map.entry("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer"),
                Map.entry("allow.everyone.if.no.acl.found", "false"),
                Map.entry("super.users", "User:" + BROKER_USER + ";User:" + ADMIN)));
    }

    /** The {@code bootstrap.servers} value for clients: the SASL_SSL listener. */
    public String bootstrapServers() {
        return admin.bootstrapServers();
    }

    /** The broker as its super user sees it: to create topics or an admin client that may do anything. */
    public KafkaBroker asAdmin() {
        return admin;
    }

    /** Creates a SCRAM user, or changes its password; returns once the broker accepts it. */
    public void createUser(String user, String password) {
        try (Admin client = admin.newAdmin()) {
            createUser(client, user, password);
        }
    }

    /** Creates ACLs; returns once the broker enforces them. */
    public void allow(Collection<AclBinding> acls) {
        changeAcls("create", acls, client -> client.createAcls(acls).all().get(), true);
    }

    /** Deletes ACLs, as an operator revoking a permission from a running job would; returns once they are gone. */
    public void revoke(Collection<AclBinding> acls) {
        changeAcls("delete", acls, client -> client.deleteAcls(acls.stream().map(AclBinding::toFilter).toList()).all().get(),
                false);
    }

    /** A change of ACLs through the admin client. */
    private interface AclChange {
        void apply(Admin client) throws ExecutionException, InterruptedException;
    }

    /** Applies {@code change}, then waits until the broker lists every one of {@code acls} or, if not {@code listed}, none. */
    private void changeAcls(String verb, Collection<AclBinding> acls, AclChange change, boolean listed) {
        try (Admin client = admin.newAdmin()) {
            change.apply(client);
            awaitPropagation("ACLs " + acls + (listed ? "" : " deleted"), () -> acls.stream().allMatch(acl -> {
                try {
                    return client.describeAcls(acl.toFilter()).values().get().contains(acl) == listed;
                } catch (ExecutionException e) {
                    throw new IllegalStateException("Could not list ACLs: " + e.getCause().getMessage(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while listing ACLs", e);
                }
            }));
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not " + verb + " ACLs " + acls + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while changing ACLs", e);
        }
    }

    /**
     * What a client of {@code user} needs besides {@code bootstrap.servers}: SASL_SSL, SCRAM, the JAAS
     * line with the password, and the trust store of this run's CA (PKCS12, with its password).
     */
    public Map<String, String> clientSecurity(String user, String password) {
        return clientSecurity(tls, user, password);
    }

    /** {@link #clientSecurity} and {@code bootstrap.servers}: a whole client configuration of {@code user}. */
    public Properties clientProperties(String user, String password) {
        Properties properties = new Properties();
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        properties.putAll(clientSecurity(user, password));
        return properties;
    }

    private static Map<String, String> clientSecurity(SelfSignedTls tls, String user, String password) {
        return Map.of(
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SecurityProtocol.SASL_SSL.name,
                SaslConfigs.SASL_MECHANISM, SASL_MECHANISM,
                SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + user + "\" password=\"" + password + "\";",
                SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12",
                SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, tls.trustStore().toString(),
                SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, tls.password());
    }

    private static void createUser(Admin client, String user, String password) {
        try {
            client.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password))).all().get();
            // A client whose SCRAM login fails gives up at once: wait until the broker knows the user.
            awaitPropagation("SCRAM user " + user, () -> {
                try {
                    return client.describeUserScramCredentials(List.of(user)).all().get().containsKey(user);
                } catch (ExecutionException e) {
                    return false; // not known yet
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for SCRAM user " + user, e);
                }
            });
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not create SCRAM user " + user + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating SCRAM user " + user, e);
        }
    }

    private static void awaitPropagation(String what, BooleanSupplier done) {
        long deadline = System.nanoTime() + PROPAGATION_TIMEOUT.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " not in force after " + PROPAGATION_TIMEOUT.toSeconds() + " s");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + what, e);
            }
        }
    }

    /** Stops the broker and deletes its data and certificates. */
    @Override
    public void close() {
        admin.close();
    }
}
