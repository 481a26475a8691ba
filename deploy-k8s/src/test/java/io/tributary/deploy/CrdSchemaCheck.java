package io.tributary.deploy;

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
import java.util.List;

/**
 * Every FlinkDeployment against the JSON schema of the operator's FlinkDeployment spec
 * (schema/flinkdeployment-v1beta1.schema.json, written from the operator 1.13 reference).
 */
final class CrdSchemaCheck {
    private final Schema schema;

    CrdSchemaCheck(Path schemaFile) {
        try (InputStream in = Files.newInputStream(schemaFile)) {
            this.schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                    .getSchema(in, InputFormat.JSON);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CrdSchemaCheck committed() {
        return new CrdSchemaCheck(DeployModule.SCHEMA);
    }

    List<String> check(List<Manifest> manifests) {
        List<String> complaints = new ArrayList<>();
        for (Manifest deployment : Manifests.ofKind(manifests, "FlinkDeployment")) {
            for (Error error : schema.validate(deployment.doc())) {
                complaints.add(deployment.id() + ": " + error);
            }
        }
        return complaints;
    }
}
