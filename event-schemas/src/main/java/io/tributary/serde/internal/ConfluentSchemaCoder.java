package io.tributary.serde.internal;

import io.tributary.registry.SchemaNotFoundException;
import io.tributary.registry.SchemaRegistryClient;
import io.tributary.registry.SchemaRegistryConfig;
import io.tributary.serde.ConfluentWireFormat;
import io.tributary.serde.DecodingFailure;
import io.tributary.serde.EventDecodingException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.flink.formats.avro.SchemaCoder;

/**
 * Flink's {@link SchemaCoder} for the Confluent wire format: magic byte 0, then the schema's
 * registry id as a 4-byte big-endian int, then the Avro binary body. One instance per serde
 * instance (so per task), not thread-safe; the registry client behind it is shared and caches.
 */
public final class ConfluentSchemaCoder implements SchemaCoder {
    private final SchemaRegistryClient registry;
    private final String subject;
    private final boolean registerSchemas;
    // Writers pass the same Schema instance for every record: an identity lookup spares hashing it.
    private final Map<Schema, Integer> idsBySchema = new IdentityHashMap<>();

    public ConfluentSchemaCoder(SchemaRegistryClient registry, String subject, boolean registerSchemas) {
        this.registry = registry;
        this.subject = subject;
        this.registerSchemas = registerSchemas;
    }

    /** Reads the header and returns the writer's schema, or throws {@link EventDecodingException}. */
    @Override
    public Schema readSchema(InputStream in) throws IOException {
        int magic = in.read();
        if (magic == -1) {
            throw new EventDecodingException(DecodingFailure.TRUNCATED, null, "empty value", null);
        }
        if (magic != ConfluentWireFormat.MAGIC_BYTE) {
            throw new EventDecodingException(DecodingFailure.WRONG_MAGIC_BYTE, null,
                    String.format("first byte is 0x%02x", magic), null);
        }
        byte[] id = in.readNBytes(4);
        if (id.length < 4) {
            throw new EventDecodingException(DecodingFailure.TRUNCATED, null,
                    "header has " + (1 + id.length) + " of " + ConfluentWireFormat.HEADER_LENGTH + " bytes", null);
        }
        return schemaById(ByteBuffer.wrap(id).getInt());
    }

    /** The writer's schema for {@code schemaId}, or {@link DecodingFailure#UNKNOWN_SCHEMA_ID}. */
    public Schema schemaById(int schemaId) throws IOException {
        try {
            return registry.schemaById(schemaId);
        } catch (SchemaNotFoundException e) {
            throw new EventDecodingException(DecodingFailure.UNKNOWN_SCHEMA_ID, schemaId, null, e);
        }
    }

    /** Writes the header for {@code schema}, looking its id up (or registering it) on first use. */
    @Override
    public void writeSchema(Schema schema, OutputStream out) throws IOException {
        Integer id = idsBySchema.get(schema);
        if (id == null) {
            if (subject == null) {
                throw new IllegalStateException("This coder reads only: it was built without a subject");
            }
            id = registry.idFor(subject, schema, registerSchemas);
            idsBySchema.put(schema, id);
        }
        out.write(ConfluentWireFormat.MAGIC_BYTE);
        out.write(id >>> 24);
        out.write(id >>> 16);
        out.write(id >>> 8);
        out.write(id);
    }

    /** Creates coders on the task managers from a serializable configuration. */
    public static final class Provider implements SchemaCoder.SchemaCoderProvider {
        private static final long serialVersionUID = 1L;

        private final SchemaRegistryConfig config;
        private final String subject;
        private final boolean registerSchemas;

        /**
         * @param subject the subject written records are registered under; null for a reader
         * @param registerSchemas whether a writer registers its schema when the registry lacks it
         */
        public Provider(SchemaRegistryConfig config, String subject, boolean registerSchemas) {
            this.config = config;
            this.subject = subject;
            this.registerSchemas = registerSchemas;
        }

        @Override
        public ConfluentSchemaCoder get() {
            return new ConfluentSchemaCoder(SchemaRegistryClient.shared(config), subject, registerSchemas);
        }
    }
}
