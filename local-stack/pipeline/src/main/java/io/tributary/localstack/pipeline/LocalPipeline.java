package io.tributary.localstack.pipeline;

import io.tributary.contracts.ContractRegistration;
import io.tributary.localstack.KafkaBroker;
import io.tributary.localstack.LocalServers;
import io.tributary.localstack.SchemaRegistryServer;
import io.tributary.registry.SchemaRegistryClient;
import io.tributary.registry.SchemaRegistryConfig;
import io.tributary.registry.SchemaRegistryException;

/**
 * The local stack made ready for Tributary: a Kafka broker and a schema registry (started once per
 * JVM), every contract registered with its compatibility level, and every topic created.
 *
 * @param kafka the broker
 * @param registry the registry server
 * @param registryConfig how clients reach the registry
 */
public record LocalPipeline(KafkaBroker kafka, SchemaRegistryServer registry, SchemaRegistryConfig registryConfig) {

    /** Starts (or reuses) the servers of this JVM, registers the schemas and creates the topics. */
    public static LocalPipeline prepare() throws SchemaRegistryException {
        return prepare(LocalServers.kafka(), LocalServers.schemaRegistry());
    }

    /** Registers the schemas in {@code registry} and creates the topics in {@code kafka}. */
    public static LocalPipeline prepare(KafkaBroker kafka, SchemaRegistryServer registry)
            throws SchemaRegistryException {
        SchemaRegistryConfig config = SchemaRegistryConfig.builder(registry.url()).build();
        ContractRegistration.registerAll(SchemaRegistryClient.shared(config));
        TributaryTopics.createAll(kafka);
        return new LocalPipeline(kafka, registry, config);
    }

    /** A writer of generated traffic into this stack. */
    public TrafficWriter trafficWriter() {
        return new TrafficWriter(kafka.bootstrapServers(), registryConfig);
    }
}
