package io.tributary.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.registry.internal.RegistryHttp;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A client for the Confluent Schema Registry REST API, enough for Tributary: register, look up,
 * fetch by id, latest version, compatibility check and subject configuration. Schemas are always
 * sent in their {@link CanonicalSchema canonical form}.
 *
 * <p>The two calls on the record path, {@link #schemaById} and {@link #idFor}, are cached: the
 * server is asked once per id and once per (subject, schema) for the life of the client. An id the
 * server does not know is remembered for {@link SchemaRegistryConfig#unknownIdCacheTime()}, unless a
 * reader that doubts the answer {@link #forgetUnknownId forgets it} to ask again. The client also
 * remembers the {@link #newestIdServed() newest id} the registry has given it, by which a reader
 * tells a replica that lags from an id that is bad.
 *
 * <p>Thread-safe. Serdes share one client per configuration and JVM through {@link #shared}.
 */
public final class SchemaRegistryClient {
    private static final Map<SchemaRegistryConfig, SchemaRegistryClient> SHARED = new ConcurrentHashMap<>();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final SchemaRegistryConfig config;
    private final RegistryHttp http;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<Integer, Long> unknownIdsUntil = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();
    private final AtomicInteger newestIdServed = new AtomicInteger();

    private SchemaRegistryClient(SchemaRegistryConfig config) {
        this.config = config;
        this.http = new RegistryHttp(config);
    }

    /** A new client with caches of its own. */
    public static SchemaRegistryClient create(SchemaRegistryConfig config) {
        return new SchemaRegistryClient(config);
    }

    /** The client of this JVM for {@code config}, created on first use; its caches are shared. */
    public static SchemaRegistryClient shared(SchemaRegistryConfig config) {
        return SHARED.computeIfAbsent(config, SchemaRegistryClient::new);
    }

    public SchemaRegistryConfig config() {
        return config;
    }

    /**
     * Registers {@code schema} under {@code subject} and returns its id; registering a schema that is
     * already there returns the existing id.
     *
     * @throws IncompatibleSchemaException when the subject's compatibility level refuses it
     * @throws InvalidSchemaException when the registry cannot parse it
     */
    public int register(String subject, Schema schema) throws SchemaRegistryException {
        String text = CanonicalSchema.of(schema).toString();
        JsonNode answer = http.post("/subjects/" + encode(subject) + "/versions", schemaBody(text), subject);
        int id = served(requiredInt(answer, "id", subject));
        idsBySubjectSchema.put(new SubjectSchema(subject, text), id);
        return id;
    }

    /**
     * The registration of {@code schema} under {@code subject}.
     *
     * @throws SubjectNotFoundException when the subject does not exist
     * @throws SchemaNotFoundException when the subject exists but never had this schema
     */
    public RegisteredSchema lookup(String subject, Schema schema) throws SchemaRegistryException {
        String text = CanonicalSchema.of(schema).toString();
        JsonNode answer = http.post("/subjects/" + encode(subject), schemaBody(text), subject);
        RegisteredSchema registered = registeredSchema(answer, subject);
        idsBySubjectSchema.put(new SubjectSchema(subject, text), registered.id());
        return registered;
    }

    /**
     * The id of {@code schema} under {@code subject}, from the cache when known. When the registry
     * does not have it, registers it if {@code registerIfMissing}, else fails.
     */
    public int idFor(String subject, Schema schema, boolean registerIfMissing) throws SchemaRegistryException {
        String text = CanonicalSchema.of(schema).toString();
        Integer cached = idsBySubjectSchema.get(new SubjectSchema(subject, text));
        if (cached != null) {
            return cached;
        }
        try {
            return lookup(subject, schema).id();
        } catch (SubjectNotFoundException | SchemaNotFoundException e) {
            if (!registerIfMissing) {
                throw e;
            }
            return register(subject, schema);
        }
    }

    /**
     * The schema with registry id {@code id}, from the cache when known.
     *
     * @throws SchemaNotFoundException when the registry has no schema with that id
     */
    public Schema schemaById(int id) throws SchemaRegistryException {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        Long unknownUntil = unknownIdsUntil.get(id);
        if (unknownUntil != null && System.nanoTime() - unknownUntil < 0) {
            throw new SchemaNotFoundException("Schema id " + id + " is unknown to the schema registry (cached answer)",
                    404, 40403, null);
        }
        JsonNode answer;
        try {
            answer = http.get("/schemas/ids/" + id, null);
        } catch (SchemaNotFoundException e) {
            unknownIdsUntil.put(id, System.nanoTime() + config.unknownIdCacheTime().toNanos());
            throw e;
        }
        Schema schema = parse(requiredText(answer, "schema", null), "schema id " + id, null);
        served(id);
        Schema raced = schemasById.putIfAbsent(id, schema);
        return raced != null ? raced : schema;
    }

    /**
     * Forgets that the registry did not know {@code id}, so that the next {@link #schemaById} asks
     * again: for a reader that has reason to doubt the answer (the registry was empty or behind).
     */
    public void forgetUnknownId(int id) {
        unknownIdsUntil.remove(id);
    }

    /** The highest schema id the registry has given this client so far; 0 before any. */
    public int newestIdServed() {
        return newestIdServed.get();
    }

    /**
     * The latest version registered under {@code subject}.
     *
     * @throws SubjectNotFoundException when the subject has no version
     */
    public RegisteredSchema latestVersion(String subject) throws SchemaRegistryException {
        return registeredSchema(http.get("/subjects/" + encode(subject) + "/versions/latest", subject), subject);
    }

    /**
     * Asks the registry whether {@code schema} could be registered under {@code subject} given the
     * subject's compatibility level. A subject without versions accepts anything.
     */
    public CompatibilityCheckResult testCompatibility(String subject, Schema schema) throws SchemaRegistryException {
        String text = CanonicalSchema.of(schema).toString();
        JsonNode answer;
        try {
            answer = http.post("/compatibility/subjects/" + encode(subject) + "/versions/latest?verbose=true",
                    schemaBody(text), subject);
        } catch (SubjectNotFoundException e) {
            return new CompatibilityCheckResult(true, true, List.of());
        }
        List<String> messages = new ArrayList<>();
        answer.path("messages").forEach(m -> messages.add(m.asText()));
        // Apicurio explains in "reason" rather than Confluent's "messages".
        if (answer.hasNonNull("reason")) {
            messages.add(answer.get("reason").asText());
        }
        return new CompatibilityCheckResult(answer.path("is_compatible").asBoolean(false), false, messages);
    }

    /** The compatibility level set on {@code subject}; empty when none is set on it. */
    public Optional<CompatibilityLevel> subjectCompatibility(String subject) throws SchemaRegistryException {
        try {
            JsonNode answer = http.get("/config/" + encode(subject), subject);
            return Optional.of(level(answer, subject));
        } catch (SubjectNotFoundException e) {
            return Optional.empty();
        } catch (SchemaRegistryException e) {
            // Confluent answers 40408 when the subject exists but has no level of its own.
            if (e.errorCode() == 40408) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The registry-wide default compatibility level. */
    public CompatibilityLevel globalCompatibility() throws SchemaRegistryException {
        return level(http.get("/config", null), null);
    }

    /** Sets the compatibility level of {@code subject}; the registry then enforces it on registration. */
    public void setSubjectCompatibility(String subject, CompatibilityLevel level) throws SchemaRegistryException {
        ObjectNode body = NODES.objectNode().put("compatibility", level.name());
        http.put("/config/" + encode(subject), body, subject);
    }

    /** Every subject the registry holds. */
    public List<String> subjects() throws SchemaRegistryException {
        List<String> subjects = new ArrayList<>();
        http.get("/subjects", null).forEach(s -> subjects.add(s.asText()));
        return subjects;
    }

    private static ObjectNode schemaBody(String schemaText) {
        return NODES.objectNode().put("schema", schemaText);
    }

    private int served(int id) {
        newestIdServed.accumulateAndGet(id, Math::max);
        return id;
    }

    private RegisteredSchema registeredSchema(JsonNode answer, String subject) throws SchemaRegistryException {
        RegisteredSchema registered = new RegisteredSchema(
                answer.path("subject").asText(subject),
                requiredInt(answer, "version", subject),
                requiredInt(answer, "id", subject),
                parse(requiredText(answer, "schema", subject), "subject " + subject, subject));
        served(registered.id());
        return registered;
    }

    private static CompatibilityLevel level(JsonNode answer, String subject) throws SchemaRegistryException {
        String value = answer.path("compatibilityLevel").asText(answer.path("compatibility").asText(""));
        try {
            return CompatibilityLevel.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw new SchemaRegistryException("Schema registry reported an unknown compatibility level '" + value + "'",
                    200, 0, subject);
        }
    }

    private static Schema parse(String text, String what, String subject) throws SchemaRegistryException {
        try {
            return new Schema.Parser().parse(text);
        } catch (SchemaParseException e) {
            throw new InvalidSchemaException("Schema registry returned a schema for " + what
                    + " that does not parse: " + e.getMessage(), 200, 0, subject);
        }
    }

    private static int requiredInt(JsonNode answer, String field, String subject) throws SchemaRegistryException {
        if (!answer.path(field).canConvertToInt()) {
            throw new SchemaRegistryException("Schema registry answer lacks '" + field + "'", 200, 0, subject);
        }
        return answer.get(field).asInt();
    }

    private static String requiredText(JsonNode answer, String field, String subject) throws SchemaRegistryException {
        if (!answer.path(field).isTextual()) {
            throw new SchemaRegistryException("Schema registry answer lacks '" + field + "'", 200, 0, subject);
        }
        return answer.get(field).asText();
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private record SubjectSchema(String subject, String schemaText) {}
}
