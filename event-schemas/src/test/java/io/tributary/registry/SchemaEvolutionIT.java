package io.tributary.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.contracts.CompatibilityChecker;
import io.tributary.contracts.CompatibilityViolation;
import io.tributary.localstack.SchemaRegistryServer;
import io.tributary.localstack.junit.LocalServersExtension;
import io.tributary.serde.ConfluentAvroDeserializationSchema;
import io.tributary.serde.ConfluentAvroSerializationSchema;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A subject under BACKWARD: an incompatible change is refused offline and by the real registry,
 * a compatible one is accepted, and bytes written with the old schema decode with the new one.
 */
@ExtendWith(LocalServersExtension.class)
class SchemaEvolutionIT {
    private static final String SUBJECT = "evolution.demo.v1-value";
    private static final Schema V1 = new Schema.Parser().parse("""
            {"type": "record", "name": "Payment", "namespace": "io.tributary.demo", "fields": [
              {"name": "id", "type": "string"},
              {"name": "amount", "type": "long"}]}""");
    private static final Schema WITHOUT_DEFAULT = new Schema.Parser().parse("""
            {"type": "record", "name": "Payment", "namespace": "io.tributary.demo", "fields": [
              {"name": "id", "type": "string"},
              {"name": "amount", "type": "long"},
              {"name": "channel", "type": "string"}]}""");
    private static final Schema WITH_DEFAULT = new Schema.Parser().parse("""
            {"type": "record", "name": "Payment", "namespace": "io.tributary.demo", "fields": [
              {"name": "id", "type": "string"},
              {"name": "amount", "type": "long"},
              {"name": "channel", "type": "string", "default": "POS"}]}""");

    @Test
    void incompatibleChangesAreRefusedAndCompatibleOnesReadOldBytes(SchemaRegistryServer server) throws Exception {
        SchemaRegistryConfig config = SchemaRegistryConfig.builder(server.url()).build();
        SchemaRegistryClient client = SchemaRegistryClient.create(config);
        client.setSubjectCompatibility(SUBJECT, CompatibilityLevel.BACKWARD);
        int v1 = client.register(SUBJECT, V1);

        // Bytes written by an old producer, before any change.
        GenericRecord old = new GenericData.Record(V1);
        old.put("id", "p-1");
        old.put("amount", 1250L);
        var writer = ConfluentAvroSerializationSchema.forGeneric(V1).subject(SUBJECT).registry(config).build();
        byte[] oldBytes = writer.serialize(old);

        // A new field without default: the offline check and the server both refuse it.
        List<CompatibilityViolation> offline =
                CompatibilityChecker.check(SUBJECT, CompatibilityLevel.BACKWARD, WITHOUT_DEFAULT, List.of(V1));
        assertThat(offline).extracting(CompatibilityViolation::field).containsExactly("channel");
        assertThat(client.testCompatibility(SUBJECT, WITHOUT_DEFAULT).compatible()).isFalse();
        assertThatThrownBy(() -> client.register(SUBJECT, WITHOUT_DEFAULT))
                .isInstanceOfSatisfying(IncompatibleSchemaException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.subject()).isEqualTo(SUBJECT);
                });

        // With a default it is accepted, as a new version with a new id.
        assertThat(CompatibilityChecker.check(SUBJECT, CompatibilityLevel.BACKWARD, WITH_DEFAULT, List.of(V1)))
                .isEmpty();
        assertThat(client.testCompatibility(SUBJECT, WITH_DEFAULT).compatible()).isTrue();
        int v2 = client.register(SUBJECT, WITH_DEFAULT);
        assertThat(v2).isNotEqualTo(v1);
        assertThat(client.latestVersion(SUBJECT).version()).isEqualTo(2);

        // A consumer upgraded to the new schema still reads the old bytes, with the default filled in.
        var reader = ConfluentAvroDeserializationSchema.forGeneric(WITH_DEFAULT).registry(config).build();
        GenericRecord read = reader.deserialize(oldBytes);
        assertThat(read.getSchema()).isEqualTo(WITH_DEFAULT);
        assertThat(read.get("id")).isEqualTo(new Utf8("p-1"));
        assertThat(read.get("amount")).isEqualTo(1250L);
        assertThat(read.get("channel")).isEqualTo(new Utf8("POS"));
    }
}
