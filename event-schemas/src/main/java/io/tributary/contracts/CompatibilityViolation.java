package io.tributary.contracts;

import io.tributary.registry.CompatibilityLevel;
import org.apache.avro.SchemaCompatibility.SchemaIncompatibilityType;

/**
 * One way in which a candidate schema breaks a subject's compatibility promise against one
 * released version.
 *
 * @param subject the subject whose promise is broken
 * @param level the promise
 * @param releasedVersion the released version the candidate was checked against (1-based)
 * @param direction {@code BACKWARD} when the candidate cannot read that version's data,
 *     {@code FORWARD} when that version cannot read the candidate's data
 * @param field the dotted path of the field concerned, e.g. {@code location.city}, or the record
 *     name when the problem is the record itself
 * @param type the Avro rule that is broken
 * @param location the JSON pointer into the reading schema, as Avro reports it
 * @param detail Avro's own words for the problem
 */
public record CompatibilityViolation(
        String subject,
        CompatibilityLevel level,
        int releasedVersion,
        String direction,
        String field,
        SchemaIncompatibilityType type,
        String location,
        String detail) {

    /** One line a developer can act on. */
    public String describe() {
        String reader = direction.equals("BACKWARD") ? "the new schema" : "v" + releasedVersion;
        String writer = direction.equals("BACKWARD") ? "v" + releasedVersion : "the new schema";
        return String.format(
                "%s breaks %s against v%d: field '%s' %s, so %s cannot read data written with %s (%s at %s)",
                subject, level, releasedVersion, field, explain(), reader, writer, type, location);
    }

    private String explain() {
        return switch (type) {
            case READER_FIELD_MISSING_DEFAULT_VALUE -> "is missing from the writer's schema and has no default";
            case TYPE_MISMATCH -> "changed its type incompatibly (" + detail + ")";
            case MISSING_ENUM_SYMBOLS -> "lost enum symbols " + detail + " and the reader's enum has no default";
            case MISSING_UNION_BRANCH -> "cannot take a union branch the writer may use (" + detail + ")";
            case NAME_MISMATCH -> "has a type whose name changed (" + detail + ")";
            case FIXED_SIZE_MISMATCH -> "changed the size of a fixed type (" + detail + ")";
        };
    }
}
