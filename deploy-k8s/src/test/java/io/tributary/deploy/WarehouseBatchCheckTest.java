package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class WarehouseBatchCheckTest {
    private static final String ID = "CronJob/warehouse-expire-snapshots";

    @Test
    void anotherWarehouseIsFound() {
        var broken = RealManifests.baseWith("CronJob",
                c -> args(c).set(0, "-Dtributary.warehouse.location=s3://tributary-prod-warehouse/"));
        String catalog = " (REST https://iceberg-rest.iceberg.svc:8443, namespace tributary_ENV, "
                + "{io-impl=org.apache.iceberg.aws.s3.S3FileIO, "
                + "oauth2-server-uri=https://iceberg-rest.iceberg.svc:8443/v1/oauth/tokens})";
        assertThat(WarehouseBatchCheck.check(broken)).containsExactly(ID + ": works on s3://tributary-prod-warehouse/"
                + catalog + ", but warehouse-sink writes s3://tributary-ENV-warehouse/" + catalog);
    }

    @Test
    void anOptionTheCommandDoesNotReadIsFound() {
        // The backfill reads the enrichment's options; table maintenance does not.
        var broken = RealManifests.baseWith("CronJob", c -> args(c).add("-Dtributary.enrichment.allowed-lateness=2 min"));
        assertThat(WarehouseBatchCheck.check(broken)).containsExactly(
                ID + ": Unknown option 'tributary.enrichment.allowed-lateness'; see --help for the options");
    }

    private static ArrayNode args(ObjectNode cronJob) {
        return (ArrayNode) cronJob.at("/spec/jobTemplate/spec/template/spec/containers/0/args");
    }
}
