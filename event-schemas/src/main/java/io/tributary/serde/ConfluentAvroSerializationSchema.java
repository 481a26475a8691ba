package io.tributary.serde;

import io.tributary.contracts.TopicContract;
import io.tributary.registry.SchemaRegistryConfig;
import io.tributary.serde.internal.ConfluentSchemaCoder;
import io.tributary.serde.internal.ReusableByteOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;

/**
 * Writes Avro records in the Confluent wire format (magic byte 0, 4-byte big-endian schema id,
 * Avro binary). The schema id is looked up in the registry once per task, under the subject given,
 * and cached.
 *
 * <p>Each task reuses one buffer and one Avro encoder writing into it, so a record costs one copy
 * (the returned array). flink-avro's {@code RegistryAvroSerializationSchema}, used before, encoded
 * straight into a {@code java.io.ByteArrayOutputStream}: a synchronized call for every field
 * (benchmarks/README, "What each change bought").
 *
 * <pre>{@code
 * SerializationSchema<EnrichedTransaction> values = ConfluentAvroSerializationSchema
 *     .forSpecific(EnrichedTransaction.class)
 *     .topic(TopicContract.ENRICHED_TRANSACTIONS)
 *     .registry(registryConfig)
 *     .build();
 * }</pre>
 *
 * <p>Not thread-safe: Flink gives each task its own copy.
 *
 * @param <T> a generated {@link SpecificRecord} class, or {@link GenericRecord}
 */
public final class ConfluentAvroSerializationSchema<T> implements SerializationSchema<T> {
    private static final long serialVersionUID = 2L;

    private final Class<T> recordClass;
    /** The schema of generic records, as JSON (Avro's {@code Schema} is not serializable); null for specific ones. */
    private final String genericSchema;
    private final ConfluentSchemaCoder.Provider coderProvider;
    private final String subject;

    private transient Schema schema;
    private transient ConfluentSchemaCoder coder;
    private transient DatumWriter<T> writer;
    private transient BinaryEncoder encoder;
    private transient ReusableByteOutput buffer;

    private ConfluentAvroSerializationSchema(Class<T> recordClass, Schema genericSchema,
            ConfluentSchemaCoder.Provider coderProvider, String subject) {
        this.recordClass = recordClass;
        this.genericSchema = genericSchema == null ? null : genericSchema.toString();
        this.coderProvider = coderProvider;
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
    public void open(InitializationContext context) {
        initialize();
    }

    @Override
    public byte[] serialize(T record) {
        if (buffer == null) {
            // Flink calls open first; a caller outside Flink may not.
            initialize();
        }
        try {
            buffer.reset();
            coder.writeSchema(schema, buffer);
            writer.write(record, encoder);
            encoder.flush();
            return buffer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write a record under subject " + subject + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private void initialize() {
        if (genericSchema == null) {
            // The class's own model carries the conversions of its logical types (uuid, decimal, timestamps).
            SpecificData model = SpecificData.getForClass(recordClass);
            schema = model.getSchema(recordClass);
            writer = new SpecificDatumWriter<>(schema, model);
        } else {
            schema = new Schema.Parser().parse(genericSchema);
            writer = (DatumWriter<T>) new GenericDatumWriter<GenericRecord>(schema);
        }
        coder = coderProvider.get();
        buffer = new ReusableByteOutput(1024);
        // Direct, not buffered: a record that fails half-way leaves nothing behind in the encoder
        // for the next one; the buffer it writes to is reset before each record.
        encoder = EncoderFactory.get().directBinaryEncoder(buffer, null);
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
            return new ConfluentAvroSerializationSchema<>(recordClass, schema, coder, subject);
        }
    }
}
