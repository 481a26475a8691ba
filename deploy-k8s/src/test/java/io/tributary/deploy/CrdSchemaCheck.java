package io.tributary.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every custom resource against its schema: each FlinkDeployment against the JSON schema of the
 * operator's FlinkDeployment spec (schema/flinkdeployment-v1beta1.schema.json, written from the
 * operator 1.13 reference), and each Strimzi resource against the v1 schema of the CRD that Strimzi
 * itself ships (schema/strimzi/). Strimzi 1.0 removed {@code kafka.strimzi.io/v1beta2}, so a Strimzi
 * resource must say {@code kafka.strimzi.io/v1}, or the API server refuses it.
 */
final class CrdSchemaCheck {
    static final String STRIMZI_GROUP = "kafka.strimzi.io";
    static final String STRIMZI_API_VERSION = STRIMZI_GROUP + "/v1";
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    /** The schema of each kind, by kind. */
    private final Map<String, Schema> schemas;

    CrdSchemaCheck(Map<String, Schema> schemas) {
        this.schemas = schemas;
    }

    static CrdSchemaCheck committed() {
        Map<String, Schema> schemas = new LinkedHashMap<>();
        schemas.put("FlinkDeployment", jsonSchema(DeployModule.SCHEMA));
        for (Path crd : DeployModule.STRIMZI_CRDS) {
            JsonNode definition = Manifests.load(crd).get(0).doc();
            schemas.put(definition.at("/spec/names/kind").asText(), crdSchema(definition, "v1"));
        }
        return new CrdSchemaCheck(schemas);
    }

    private static Schema jsonSchema(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return REGISTRY.getSchema(in, InputFormat.JSON);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The openAPIV3Schema of one version of a CRD, as strict as {@code kubectl apply --validate=strict}:
     * a field the schema does not define is an error (the API server would silently drop it, as it
     * would v1beta2's {@code operation}), except under {@code x-kubernetes-preserve-unknown-fields}.
     * The CEL rules ({@code x-kubernetes-validations}) are left to the API server.
     */
    private static Schema crdSchema(JsonNode crd, String version) {
        for (JsonNode served : crd.at("/spec/versions")) {
            if (served.path("name").asText().equals(version)) {
                ObjectNode schema = served.at("/schema/openAPIV3Schema").deepCopy();
                closeObjects(schema);
                return REGISTRY.getSchema(schema);
            }
        }
        throw new IllegalArgumentException(crd.at("/metadata/name").asText() + " serves no version " + version);
    }

    private static void closeObjects(ObjectNode schema) {
        boolean open = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        for (Iterator<String> keys = schema.fieldNames(); keys.hasNext(); ) {
            if (keys.next().startsWith("x-kubernetes-")) {
                keys.remove();
            }
        }
        if (schema.has("properties") && !schema.has("additionalProperties") && !open) {
            schema.put("additionalProperties", false);
        }
        schema.path("properties").forEach(p -> closeObjects((ObjectNode) p));
        if (schema.path("items").isObject()) {
            closeObjects((ObjectNode) schema.path("items"));
        }
        if (schema.path("additionalProperties").isObject()) {
            closeObjects((ObjectNode) schema.path("additionalProperties"));
        }
    }

    List<String> check(List<Manifest> manifests) {
        List<String> complaints = new ArrayList<>();
        for (Manifest resource : manifests) {
            String apiVersion = resource.doc().path("apiVersion").asText();
            boolean strimzi = apiVersion.startsWith(STRIMZI_GROUP + "/");
            if (strimzi && !apiVersion.equals(STRIMZI_API_VERSION)) {
                complaints.add(resource.id() + ": apiVersion " + apiVersion + ", which Strimzi 1.0 removed; Strimzi "
                        + "serves only " + STRIMZI_API_VERSION);
            }
            Schema schema = schemas.get(resource.kind());
            if (schema == null) {
                if (strimzi) {
                    complaints.add(resource.id() + ": no CRD of " + resource.kind() + " in schema/strimzi to check it with");
                }
                continue;
            }
            for (Error error : schema.validate(resource.doc())) {
                complaints.add(resource.id() + ": " + error);
            }
        }
        return complaints;
    }
}
