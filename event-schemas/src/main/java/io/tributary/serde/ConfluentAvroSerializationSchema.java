package io.tributary.serde;

import io.tributary.contracts.TopicContract;
import io.tributary.registry.SchemaRegistryConfig;
import io.tributary.serde.internal.ConfluentSchemaCoder;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.formats.avro.RegistryAvroSerializationSchema;

/**
 * Writes Avro records in the Confluent wire format (magic byte 0, 4-byte big-endian schema id,
 * Avro binary), through flink-avro's {@link RegistryAvroSerializationSchema}. The schema id is
 * looked up in the registry once per task, under the subject given, and cached.
 *
 * <pre>{@code
 * SerializationSchema<EnrichedTransaction> values = ConfluentAvroSerializationSchema
 *     .forSpecific(EnrichedTransaction.class)
 *     .topic(TopicContract.ENRICHED_TRANSACTIONS)
 *     .registry(registryConfig)
 *     .build();
 * }</pre>
 *
 * @param <T> a generated {@link SpecificRecord} class, or {@link GenericRecord}
 */
public final class ConfluentAvroSerializationSchema<T> implements SerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    private final RegistryAvroSerializationSchema<T> delegate;
    private final String subject;

    private ConfluentAvroSerializationSchema(RegistryAvroSerializationSchema<T> delegate, String subject) {
        this.delegate = delegate;
        this.subject = subject;
    }

    /** Starts a serializer for a generated record class; its schema is the class's. */
    public static <T extends SpecificRecord> Builder<T> forSpecific(Class<T> recordClass) {
        return new Builder<>(Objects.requireNonNull(recordClass, "record class"), null);
    }

    /** Starts a serializer for generic records of {@code schema}. */
    public static Builder<GenericRecord> forGeneric(Schema schema) {
        return new Builder<>(GenericRecord.class, Objects.requireNonNull(schema, "schema"));
    }

    @Override
    public void open(InitializationContext context) throws Exception {
        delegate.open(context);
    }

    @Override
    public byte[] serialize(T record) {
        return delegate.serialize(record);
    }

    /** The subject the schema is registered under. */
    public String subject() {
        return subject;
    }

    /** Options of a {@link ConfluentAvroSerializationSchema}; subject and registry are required. */
    public static final class Builder<T> {
        private final Class<T> recordClass;
        private final Schema schema;
        private String subject;
        private SchemaRegistryConfig registry;
        private boolean registerSchemas;

        private Builder(Class<T> recordClass, Schema schema) {
            this.recordClass = recordClass;
            this.schema = schema;
        }

        /** The subject the schema is registered under, e.g. {@code fraud.alerts.v1-value}. */
        public Builder<T> subject(String subject) {
            if (subject == null || subject.isBlank()) {
                throw new IllegalArgumentException("subject must not be empty");
            }
            this.subject = subject;
            return this;
        }

        /** Uses the value subject of {@code contract}'s topic. */
        public Builder<T> topic(TopicContract contract) {
            return subject(contract.subject());
        }

        /** Where the schema ids come from. */
        public Builder<T> registry(SchemaRegistryConfig config) {
            this.registry = Objects.requireNonNull(config, "registry config");
            return this;
        }

        /**
         * Whether to register the schema when the registry lacks it (default false: in production
         * schemas are registered by {@code tributary schemas register} before a deploy, and a writer
         * with an unregistered schema fails rather than publishing an unreviewed contract).
         */
        public Builder<T> registerSchemas(boolean register) {
            this.registerSchemas = register;
            return this;
        }

        public ConfluentAvroSerializationSchema<T> build() {
            if (subject == null) {
                throw new IllegalStateException("subject(...) or topic(...) is required");
            }
            if (registry == null) {
                throw new IllegalStateException("registry(...) is required");
            }
            var coder = new ConfluentSchemaCoder.Provider(registry, subject, registerSchemas);
            return new ConfluentAvroSerializationSchema<>(
                    new RegistryAvroSerializationSchema<>(recordClass, schema, coder), subject);
        }
    }
}
