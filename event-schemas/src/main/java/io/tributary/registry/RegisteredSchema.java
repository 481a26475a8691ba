package io.tributary.registry;

import org.apache.avro.Schema;

/**
 * A schema as registered under a subject.
 *
 * @param subject the subject
 * @param version its version under the subject (1-based)
 * @param id the registry-wide id written in the Confluent framing
 * @param schema the schema
 */
public record RegisteredSchema(String subject, int version, int id, Schema schema) {}
