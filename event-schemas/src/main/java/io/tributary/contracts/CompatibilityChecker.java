package io.tributary.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.registry.CompatibilityLevel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/**
 * Checks a candidate schema against a subject's released versions, offline, with the same rules
 * as the Confluent registry: Avro's reader/writer resolution, in the directions and against the
 * versions that the {@link CompatibilityLevel} names.
 */
public final class CompatibilityChecker {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CompatibilityChecker() {}

    /** Checks the contract's current schema against its released versions. */
    public static List<CompatibilityViolation> checkCurrent(TopicContract contract) {
        return check(contract.subject(), contract.compatibility(), contract.valueSchema(),
                SchemaHistory.releasedVersions(contract));
    }

    /**
     * Every violation of {@code level} by {@code candidate} against {@code released} (oldest first);
     * empty when the candidate keeps the promise.
     */
    public static List<CompatibilityViolation> check(
            String subject, CompatibilityLevel level, Schema candidate, List<Schema> released) {
        List<CompatibilityViolation> violations = new ArrayList<>();
        if (released.isEmpty() || level == CompatibilityLevel.NONE) {
            return violations;
        }
        int first = level.transitive() ? 0 : released.size() - 1;
        for (int i = first; i < released.size(); i++) {
            Schema old = released.get(i);
            int version = i + 1;
            if (level.backward()) {
                collect(violations, subject, level, version, "BACKWARD", candidate, old);
            }
            if (level.forward()) {
                collect(violations, subject, level, version, "FORWARD", old, candidate);
            }
        }
        return violations;
    }

    private static void collect(
            List<CompatibilityViolation> into,
            String subject,
            CompatibilityLevel level,
            int version,
            String direction,
            Schema reader,
            Schema writer) {
        var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult();
        for (Incompatibility incompatibility : result.getIncompatibilities()) {
            into.add(new CompatibilityViolation(
                    subject,
                    level,
                    version,
                    direction,
                    fieldPath(reader, incompatibility.getLocation()),
                    incompatibility.getType(),
                    incompatibility.getLocation(),
                    incompatibility.getMessage()));
        }
    }

    /**
     * Turns Avro's JSON pointer into the reading schema (e.g. {@code /fields/14/type/fields/2}) into
     * the dotted names of the fields it passes through (e.g. {@code location.city}).
     */
    static String fieldPath(Schema reader, String pointer) {
        try {
            JsonNode node = JSON.readTree(reader.toString());
            List<String> names = new ArrayList<>();
            String[] steps = pointer.isEmpty() ? new String[0] : pointer.substring(1).split("/");
            for (int i = 0; i < steps.length && node != null; i++) {
                String step = steps[i].replace("~1", "/").replace("~0", "~");
                node = node.isArray() ? node.get(Integer.parseInt(step)) : node.get(step);
                if (node != null && i > 0 && steps[i - 1].equals("fields") && node.has("name")) {
                    names.add(node.get("name").asText());
                }
            }
            return names.isEmpty() ? reader.getName() : String.join(".", names);
        } catch (IOException | NumberFormatException e) {
            return pointer;
        }
    }
}
