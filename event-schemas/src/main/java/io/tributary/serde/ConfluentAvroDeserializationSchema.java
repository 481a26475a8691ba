package io.tributary.serde;

import io.tributary.registry.SchemaRegistryConfig;
import io.tributary.serde.internal.BoundedBinaryDecoder;
import io.tributary.serde.internal.ConfluentSchemaCoder;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.formats.avro.typeutils.GenericRecordAvroTypeInfo;

/**
 * Reads Avro records in the Confluent wire format, resolving each record's writer schema (fetched
 * by id from the registry, once per id) against the reader schema, so that a reader with a newer
 * schema reads older records. Bad bytes raise one {@link EventDecodingException} naming the
 * {@link DecodingFailure}; a null value (a tombstone) gives null.
 *
 * <p>It uses flink-avro's {@link org.apache.flink.formats.avro.SchemaCoder} for the header but
 * decodes each record with a decoder of its own: flink-avro's {@code
 * RegistryAvroDeserializationSchema} keeps one buffered decoder across records, so bytes left
 * over by a bad record are read as the start of the next one, and a good record after a bad one
 * decodes wrongly or fails ({@code ConfluentAvroDeserializationSchemaTest} shows it does not here).
 * The decoder is bounded by the record ({@link BoundedBinaryDecoder}): a string or collection that
 * declares more than the record holds is {@link DecodingFailure#TRUNCATED}, not an
 * {@code OutOfMemoryError}.
 *
 * <pre>{@code
 * DeserializationSchema<Transaction> values = ConfluentAvroDeserializationSchema
 *     .forSpecific(Transaction.class)
 *     .registry(registryConfig)
 *     .build();
 * }</pre>
 *
 * @param <T> a generated {@link SpecificRecord} class, or {@link GenericRecord}
 */
public final class ConfluentAvroDeserializationSchema<T> implements DeserializationSchema<T> {
    private static final long serialVersionUID = 1L;

    private final Class<T> recordClass;
    private final String genericReaderSchema;
    private final SchemaRegistryConfig registry;
    private final ConfluentSchemaCoder.Provider coderProvider;

    private transient ConfluentSchemaCoder coder;
    private transient Schema readerSchema;
    private transient Map<Schema, DatumReader<T>> readersByWriter;
    private transient BinaryDecoder decoder;

    private ConfluentAvroDeserializationSchema(Class<T> recordClass, Schema genericReaderSchema,
            SchemaRegistryConfig registry) {
        this.recordClass = recordClass;
        this.genericReaderSchema = genericReaderSchema == null ? null : genericReaderSchema.toString();
        this.registry = registry;
        this.coderProvider = new ConfluentSchemaCoder.Provider(registry, null, false);
    }

    /** The registry writer schemas are fetched from. */
    public SchemaRegistryConfig registry() {
        return registry;
    }

    /** Starts a deserializer to a generated record class, whose schema is the reader schema. */
    public static <T extends SpecificRecord> Builder<T> forSpecific(Class<T> recordClass) {
        return new Builder<>(Objects.requireNonNull(recordClass, "record class"), null);
    }

    /** Starts a deserializer to generic records, read with {@code readerSchema}. */
    public static Builder<GenericRecord> forGeneric(Schema readerSchema) {
        return new Builder<>(GenericRecord.class, Objects.requireNonNull(readerSchema, "reader schema"));
    }

    @Override
    public void open(InitializationContext context) {
        initialize();
    }

    @Override
    public T deserialize(byte[] message) throws IOException {
        if (message == null) {
            return null;
        }
        if (coder == null) {
            initialize();
        }
        Schema writer = coder.readSchema(new ByteArrayInputStream(message, 0, ConfluentWireFormat.HEADER_LENGTH));
        Integer schemaId = ConfluentWireFormat.schemaId(message);
        DatumReader<T> reader = readerFor(writer, schemaId);
        int bodyLength = message.length - ConfluentWireFormat.HEADER_LENGTH;
        decoder = DecoderFactory.get().binaryDecoder(message, ConfluentWireFormat.HEADER_LENGTH, bodyLength, decoder);
        BoundedBinaryDecoder bounded = new BoundedBinaryDecoder(decoder, bodyLength);
        T record;
        try {
            record = reader.read(null, bounded);
        } catch (EOFException e) {
            throw new EventDecodingException(DecodingFailure.TRUNCATED, schemaId,
                    "the " + bodyLength + "-byte body ends inside the record", null);
        } catch (IOException | RuntimeException e) {
            // Avro's messages can quote the bytes; say only what kind of failure it was.
            throw new EventDecodingException(DecodingFailure.UNDECODABLE_AVRO, schemaId,
                    e.getClass().getSimpleName() + " while decoding a " + bodyLength + "-byte body", null);
        }
        if (!decoder.isEnd()) {
            throw new EventDecodingException(DecodingFailure.TRAILING_BYTES, schemaId,
                    "the record ends before the " + bodyLength + "-byte body does", null);
        }
        return record;
    }

    @Override
    public boolean isEndOfStream(T nextElement) {
        return false;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public TypeInformation<T> getProducedType() {
        if (genericReaderSchema != null) {
            return (TypeInformation<T>) new GenericRecordAvroTypeInfo(new Schema.Parser().parse(genericReaderSchema));
        }
        // Avro's own serializer between operators, not Kryo.
        return (TypeInformation<T>) new AvroTypeInfo(recordClass);
    }

    /** The reader schema records are resolved to. */
    public Schema readerSchema() {
        if (readerSchema == null) {
            initialize();
        }
        return readerSchema;
    }

    private void initialize() {
        coder = coderProvider.get();
        readersByWriter = new IdentityHashMap<>();
        readerSchema = genericReaderSchema != null
                ? new Schema.Parser().parse(genericReaderSchema)
                : SpecificData.getForClass(recordClass).getSchema(recordClass);
    }

    private DatumReader<T> readerFor(Schema writer, Integer schemaId) throws EventDecodingException {
        DatumReader<T> reader = readersByWriter.get(writer);
        if (reader == null) {
            var compatibility = SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writer);
            if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                var first = compatibility.getResult().getIncompatibilities().get(0);
                throw new EventDecodingException(DecodingFailure.INCOMPATIBLE_WRITER_SCHEMA, schemaId,
                        first.getType() + " at " + first.getLocation() + " (" + first.getMessage() + ")", null);
            }
            reader = newReader(writer);
            readersByWriter.put(writer, reader);
        }
        return reader;
    }

    @SuppressWarnings("unchecked")
    private DatumReader<T> newReader(Schema writer) {
        if (genericReaderSchema != null) {
            return (DatumReader<T>) new GenericDatumReader<GenericRecord>(writer, readerSchema, GenericData.get());
        }
        return new SpecificDatumReader<>(writer, readerSchema, SpecificData.getForClass(recordClass));
    }

    /** Options of a {@link ConfluentAvroDeserializationSchema}; the registry is required. */
    public static final class Builder<T> {
        private final Class<T> recordClass;
        private final Schema genericReaderSchema;
        private SchemaRegistryConfig registry;

        private Builder(Class<T> recordClass, Schema genericReaderSchema) {
            this.recordClass = recordClass;
            this.genericReaderSchema = genericReaderSchema;
        }

        /** Where writer schemas are fetched from, by the id in each record's header. */
        public Builder<T> registry(SchemaRegistryConfig config) {
            this.registry = Objects.requireNonNull(config, "registry config");
            return this;
        }

        public ConfluentAvroDeserializationSchema<T> build() {
            if (registry == null) {
                throw new IllegalStateException("registry(...) is required");
            }
            return new ConfluentAvroDeserializationSchema<>(recordClass, genericReaderSchema, registry);
        }
    }
}
