package io.tributary.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import org.apache.avro.Schema;

/**
 * The one form of a schema that is registered and compared. Classes generated with
 * {@code stringType=String} carry an {@code "avro.java.string": "String"} property in their
 * schema, which is about Java, not about the data; registering that form beside the plain
 * {@code .avsc} would give one contract two ids. The canonical form drops it and keeps
 * everything else (docs, defaults, {@code pii} properties).
 */
public final class CanonicalSchema {
    private static final String JAVA_STRING_PROPERTY = "avro.java.string";
    private static final ObjectMapper JSON = new ObjectMapper();

    private CanonicalSchema() {}

    /** The canonical form of {@code schema}. */
    public static Schema of(Schema schema) {
        return new Schema.Parser().parse(canonicalJson(schema));
    }

    /** The JSON text of the canonical form, as sent to the registry. */
    public static String canonicalJson(Schema schema) {
        try {
            JsonNode tree = JSON.readTree(schema.toString());
            stripJavaProperties(tree);
            return JSON.writeValueAsString(tree);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot re-read the JSON of schema " + schema.getFullName(), e);
        }
    }

    private static void stripJavaProperties(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove(JAVA_STRING_PROPERTY);
        }
        for (Iterator<JsonNode> children = node.elements(); children.hasNext(); ) {
            stripJavaProperties(children.next());
        }
    }
}
