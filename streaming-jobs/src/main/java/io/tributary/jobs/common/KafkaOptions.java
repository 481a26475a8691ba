package io.tributary.jobs.common;

import java.time.Duration;
import java.util.Map;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** How every job reaches Kafka and the schema registry. */
public final class KafkaOptions {
    private KafkaOptions() {}

    /** Where a job starts reading its main input when it has no checkpoint or savepoint. */
    public enum StartingOffsets {
        /** The offsets committed by the consumer group, else the earliest. */
        COMMITTED,
        EARLIEST,
        LATEST
    }

    public static final ConfigOption<String> BOOTSTRAP_SERVERS = ConfigOptions.key("tributary.kafka.bootstrap-servers")
            .stringType()
            .noDefaultValue()
            .withDescription("Kafka bootstrap servers, e.g. kafka-0:9092,kafka-1:9092. Required.");

    public static final ConfigOption<Map<String, String>> CLIENT_PROPERTIES = ConfigOptions
            .key("tributary.kafka.client-properties")
            .mapType()
            .defaultValue(Map.of())
            .withDescription("Extra Kafka client properties for every consumer and producer, e.g."
                    + " 'security.protocol:SASL_SSL,sasl.mechanism:SCRAM-SHA-512'. Put the JAAS config with its"
                    + " password in the environment-backed file, not on the command line.");

    public static final ConfigOption<Boolean> ACCESS_CHECK = ConfigOptions.key("tributary.kafka.access-check")
            .booleanType()
            .defaultValue(true)
            .withDescription("Before the job starts, check with its own Kafka credentials that its principal may read"
                    + " its input topics and consumer group, write its output topics and use transactional ids under"
                    + " its prefix; a missing ACL fails the start with one line naming it, instead of failing and"
                    + " restarting the running job. Topics that do not exist yet and an unreachable cluster are left"
                    + " to the job. The transactional check initializes the id '<prefix>-access-check'.");

    public static final ConfigOption<String> GROUP_ID = ConfigOptions.key("tributary.kafka.group-id")
            .stringType()
            .noDefaultValue()
            .withDescription("Consumer group of the job's sources (offsets are committed on checkpoints, for"
                    + " monitoring). Default: the job's name.");

    public static final ConfigOption<StartingOffsets> STARTING_OFFSETS = ConfigOptions
            .key("tributary.kafka.starting-offsets")
            .enumType(StartingOffsets.class)
            .defaultValue(StartingOffsets.COMMITTED)
            .withDescription("Where the main input starts without a checkpoint: COMMITTED (the group's offsets,"
                    + " else the earliest), EARLIEST or LATEST. Changelog inputs always start at the earliest.");

    public static final ConfigOption<Boolean> STOP_AT_LATEST = ConfigOptions.key("tributary.kafka.stop-at-latest")
            .booleanType()
            .defaultValue(false)
            .withDescription("Stop when every input reaches the end it had at start-up, instead of running forever:"
                    + " for tests and one-off replays.");

    public static final ConfigOption<DeliveryGuarantee> DELIVERY_GUARANTEE = ConfigOptions
            .key("tributary.kafka.delivery-guarantee")
            .enumType(DeliveryGuarantee.class)
            .defaultValue(DeliveryGuarantee.EXACTLY_ONCE)
            .withDescription("exactly-once: outputs are written in Kafka transactions committed on checkpoints, so"
                    + " read_committed consumers see each result once, after the checkpoint. at-least-once: results"
                    + " are visible at once but a restart may repeat some; only for measurements or consumers that"
                    + " deduplicate.");

    public static final ConfigOption<String> REGISTRY_URL = ConfigOptions.key("tributary.registry.url")
            .stringType()
            .noDefaultValue()
            .withDescription("Base URL of the Confluent-API schema registry. Required.");

    public static final ConfigOption<String> REGISTRY_USER = ConfigOptions.key("tributary.registry.user")
            .stringType()
            .noDefaultValue()
            .withDescription("User for basic authentication to the registry; the password comes from the"
                    + " environment variable TRIBUTARY_REGISTRY_PASSWORD. Needs an https:// url (or"
                    + " tributary.registry.allow-insecure-auth).");

    public static final ConfigOption<String> REGISTRY_TOKEN_ENV = ConfigOptions.key("tributary.registry.token-env")
            .stringType()
            .noDefaultValue()
            .withDescription("Name of the environment variable holding a bearer token for the registry (instead of"
                    + " basic authentication). Each process reads it where it calls the registry, so the token is"
                    + " never in the job graph, the configuration or the logs.");

    public static final ConfigOption<String> REGISTRY_TLS_CA_FILE = ConfigOptions.key("tributary.registry.tls-ca-file")
            .stringType()
            .noDefaultValue()
            .withDescription("PEM file of the CA certificates that sign the registry's https certificate (a private"
                    + " CA), on every JobManager and TaskManager; without it, the JVM's default CAs. Needs an https://"
                    + " url. The server's host name is always checked.");

    public static final ConfigOption<Boolean> REGISTRY_ALLOW_INSECURE_AUTH = ConfigOptions
            .key("tributary.registry.allow-insecure-auth")
            .booleanType()
            .defaultValue(false)
            .withDescription("Let the registry user's password or token go over http://, readable by anyone on the"
                    + " path: for a registry on this machine only. Without it a job refuses to start with credentials"
                    + " and an http:// url.");

    public static final ConfigOption<Duration> REGISTRY_MAX_RETRY_TIME = ConfigOptions
            .key("tributary.registry.max-retry-time")
            .durationType()
            .defaultValue(Duration.ofMinutes(5))
            .withDescription("How long a source retries a record whose schema id the registry does not know while"
                    + " the registry is in doubt (unreachable, without the subject of the job's contract, or behind"
                    + " the id: restored empty, a lagging replica) before the job fails and restarts from its last"
                    + " checkpoint. Such records are never dead-lettered; an id unknown to a registry that holds the"
                    + " contract is.");

    public static final ConfigOption<Integer> REGISTRY_MAX_ID_LAG = ConfigOptions.key("tributary.registry.max-id-lag")
            .intType()
            .defaultValue(1000)
            .withDescription("How far above the newest schema id the registry serves an unknown id is taken for a"
                    + " replica that has not caught up (retried, see max-retry-time) rather than a producer's bad id"
                    + " (dead-lettered). 0 dead-letters every id the registry does not know once it holds the"
                    + " contract.");

    public static final ConfigOption<Duration> REGISTRY_UNKNOWN_ID_CACHE_TIME = ConfigOptions
            .key("tributary.registry.unknown-id-cache-time")
            .durationType()
            .defaultValue(Duration.ofSeconds(60))
            .withDescription("How long the registry's answer that it does not know a schema id is remembered: records"
                    + " with that id are dead-lettered without asking again meanwhile. A replay of such dead letters"
                    + " after their schema was registered must come this long after the last of them was rejected.");

    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT = ConfigOptions
            .key("tributary.kafka.transaction-timeout")
            .durationType()
            .defaultValue(Duration.ofMinutes(14))
            .withDescription("transaction.timeout.ms of the exactly-once sinks: above the longest time a"
                    + " checkpoint's transaction can stay uncommitted ((tolerable failed checkpoints + 1) x"
                    + " (checkpoint timeout + interval or minimum pause) + restart delay + 3 min recovery), at most"
                    + " the broker's transaction.max.timeout.ms (15 min by default). A transaction the broker aborts"
                    + " before its checkpoint commits it is lost output.");
}
