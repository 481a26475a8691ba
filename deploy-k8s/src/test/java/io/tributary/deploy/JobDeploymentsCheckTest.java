package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.jobs.common.KafkaOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobDeploymentsCheckTest {
    private static final String ID = "FlinkDeployment/transactions-enrichment";

    @Test
    void theKafkaClientPropertiesReachKafkaAsWritten() {
        DeployedJob job = DeployedJob.of(FlinkDeploymentView.all(RealManifests.base()).get(0)).job().orElseThrow();
        assertThat(job.configuration().get(KafkaOptions.CLIENT_PROPERTIES))
                .containsEntry("sasl.jaas.config", "${env:TRIBUTARY_KAFKA_JAAS_CONFIG}")
                .containsEntry("config.providers.env.param.allowlist.pattern", "^TRIBUTARY_KAFKA_JAAS_CONFIG$")
                .containsEntry("ssl.truststore.location", "/opt/flink/secrets/kafka-ca/ca.crt")
                .hasSize(8);
    }

    @Test
    void aMisspeltFlagIsRejectedByTheRealCommandLine() {
        var broken = RealManifests.baseWith("FlinkDeployment", d -> replaceArg(d, "--bootstrap-servers", "--bootstrap-server"));
        assertThat(JobDeploymentsCheck.check(broken))
                .containsExactly(ID + ": job.args: Unknown options: '--bootstrap-server', "
                        + "'tributary-ENV-kafka-kafka-bootstrap.kafka.svc:9093'");
    }

    @Test
    void anUnknownJobOptionIsRejectedByTheJobsConfiguration() {
        var broken = RealManifests.baseWith("FlinkDeployment",
                d -> args(d).add("-Dtributary.enrichment.allowed-latenes=2 min"));
        assertThat(JobDeploymentsCheck.check(broken)).containsExactly(ID
                + ": job.args: Unknown option 'tributary.enrichment.allowed-latenes'; see --help for the options");
    }

    @Test
    void aJobTheCodeDoesNotDefineIsRejected() {
        var broken = RealManifests.baseWith("FlinkDeployment",
                d -> replaceArg(d, "transactions-enrichment", "chargeback-detection"));
        assertThat(JobDeploymentsCheck.check(broken)).containsExactly(
                ID + ": job.args: Unmatched arguments from index 1: 'chargeback-detection', '--profile', 'production', "
                        + "'--bootstrap-servers', 'tributary-ENV-kafka-kafka-bootstrap.kafka.svc:9093', '--registry-url', "
                        + "'https://schema-registry.schema-registry.svc:8081', "
                        + "'-Dtributary.registry.user=tributary-transactions-enrichment', "
                        + "'-Dtributary.kafka.group-id=tributary-ENV-transactions-enrichment', "
                        + "'-Dtributary.enrichment.transactional-id-prefix=tributary-ENV-transactions-enrichment', "
                        + "'-Dtributary.kafka.client-properties=" + clientProperties() + "', "
                        + "'-Dtributary.registry.tls-ca-file=/opt/flink/secrets/registry-ca/ca.crt'",
                "no FlinkDeployment runs job transactions-enrichment");
    }

    @Test
    void aStatefulJobMustUpgradeWithASavepoint() {
        var broken = RealManifests.baseWith("FlinkDeployment",
                d -> ((ObjectNode) d.path("spec").path("job")).put("upgradeMode", "last-state"));
        assertThat(JobDeploymentsCheck.check(broken))
                .containsExactly(ID + ": job transactions-enrichment keeps state, so upgradeMode must be savepoint, not last-state");
    }

    @Test
    void twoDeploymentsOfTheSameJobShareATransactionalIdPrefix() {
        List<Manifest> manifests = new ArrayList<>(RealManifests.base());
        Manifest second = FlinkDeploymentView.all(manifests).get(0).manifest().copy();
        ((ObjectNode) second.doc().path("metadata")).put("name", "transactions-enrichment-copy");
        manifests.add(second);
        assertThat(JobDeploymentsCheck.check(manifests)).containsExactly(
                "job transactions-enrichment is run by more than one FlinkDeployment: [" + ID + ", " + ID + "-copy]",
                "[" + ID + ", " + ID + "-copy] share the transactional id prefix tributary-ENV-transactions-enrichment");
    }

    @Test
    void theLocalProfileIsNotForKubernetes() {
        var broken = RealManifests.baseWith("FlinkDeployment", d -> replaceArg(d, "production", "local"));
        assertThat(JobDeploymentsCheck.check(broken))
                .containsExactly(ID + ": the job runs with state profile 'local'; on Kubernetes it must be 'production'");
    }

    @Test
    void aSinkTransactionMustOutliveEveryToleratedCheckpointFailureAndARestart() {
        var broken = RealManifests.baseWith("FlinkDeployment",
                d -> args(d).add("-Dexecution.checkpointing.tolerable-failed-checkpoints=3")
                        .add("-Dtributary.kafka.transaction-timeout=13 min"));
        assertThat(JobDeploymentsCheck.check(broken)).containsExactly(ID + ": the job would not start in these pods: "
                + "tributary.kafka.transaction-timeout (13 min) must exceed the longest time a checkpoint's transaction"
                + " can stay uncommitted: (execution.checkpointing.tolerable-failed-checkpoints 3 + 1) x"
                + " (execution.checkpointing.timeout 2 min + execution.checkpointing.interval 10 s) + restart delay 2 min"
                + " + recovery allowance 3 min = 820 s");
    }

    @Test
    void theTransactionTimingsBelongInTheJobsArgumentsWhereTheyAreChecked() {
        var broken = RealManifests.baseWith("FlinkDeployment", d -> ((ObjectNode) d.path("spec").path("flinkConfiguration"))
                .put("execution.checkpointing.timeout", "10 min")
                .put("execution.checkpointing.interval", "10 s")
                .put("tributary.kafka.transaction-timeout", "15 min"));
        assertThat(JobDeploymentsCheck.check(broken)).containsExactly(
                ID + ": flinkConfiguration sets tributary.kafka.transaction-timeout to 15 min, but the job runs with"
                        + " 14 min (its profile and job.args win): set it with -D in job.args, where the transaction"
                        + " timeout check sees it",
                ID + ": flinkConfiguration sets execution.checkpointing.timeout to 10 min, but the job runs with 2 min"
                        + " (its profile and job.args win): set it with -D in job.args, where the transaction timeout"
                        + " check sees it");
    }

    @Test
    void theTokenizationKeyMustComeFromASecret() {
        var broken = RealManifests.baseWith("FlinkDeployment", d -> removeEnv(d, "TRIBUTARY_TOKENIZATION_KEY"));
        assertThat(JobDeploymentsCheck.check(broken)).containsExactly(ID + ": the job would not start in these pods: "
                + "The tokenization key is missing: set the environment variable TRIBUTARY_TOKENIZATION_KEY to a "
                + "base64 key of at least 32 bytes");
    }

    @Test
    void theKafkaCredentialsMustComeFromASecret() {
        var broken = RealManifests.baseWith("FlinkDeployment", d -> removeEnv(d, "TRIBUTARY_KAFKA_JAAS_CONFIG"));
        assertThat(JobDeploymentsCheck.check(broken)).containsExactly(ID + ": the Kafka client properties read "
                + "${env:TRIBUTARY_KAFKA_JAAS_CONFIG}, which the pod template does not set from a Secret");
    }

    @Test
    void theEntryPointAndFlinkVersionAreTheBuildsOwn() {
        var broken = RealManifests.baseWith("FlinkDeployment", d -> {
            ObjectNode spec = (ObjectNode) d.path("spec");
            spec.put("flinkVersion", "v2_0");
            ((ObjectNode) spec.path("job")).put("entryClass", "io.tributary.cli.Main");
            ((ObjectNode) spec.path("job")).put("jarURI", "https://example.com/tributary-job.jar");
        });
        assertThat(JobDeploymentsCheck.check(broken)).containsExactly(
                ID + ": jarURI https://example.com/tributary-job.jar is not a jar of the image under local:///opt/flink/usrlib/",
                ID + ": entryClass io.tributary.cli.Main is not io.tributary.cli.ApplicationMain, the entry point that"
                        + " never exits the JobManager's JVM",
                ID + ": entryClass io.tributary.cli.Main is not a class with a main(String[]) in the jobs' code",
                ID + ": flinkVersion v2_0 does not match the jobs' Flink 2.1.1 (v2_1)");
    }

    @Test
    void theEntryPointNeverExitsTheJobManager() {
        var broken = RealManifests.baseWith("FlinkDeployment",
                d -> ((ObjectNode) d.path("spec").path("job")).put("entryClass", "io.tributary.cli.Tributary"));
        assertThat(JobDeploymentsCheck.check(broken)).containsExactly(ID + ": entryClass io.tributary.cli.Tributary is not"
                + " io.tributary.cli.ApplicationMain, the entry point that never exits the JobManager's JVM");
    }

    static ArrayNode args(ObjectNode deployment) {
        return (ArrayNode) deployment.path("spec").path("job").path("args");
    }

    static void replaceArg(ObjectNode deployment, String from, String to) {
        ArrayNode args = args(deployment);
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).asText().equals(from)) {
                args.set(i, to);
                return;
            }
        }
        throw new IllegalArgumentException("no argument " + from);
    }

    static void removeEnv(ObjectNode deployment, String variable) {
        ArrayNode env = (ArrayNode) deployment.path("spec").path("podTemplate").path("spec").path("containers").get(0)
                .path("env");
        for (int i = 0; i < env.size(); i++) {
            if (env.get(i).path("name").asText().equals(variable)) {
                env.remove(i);
                return;
            }
        }
        throw new IllegalArgumentException("no variable " + variable);
    }

    private static String clientProperties() {
        return "security.protocol:SASL_SSL,sasl.mechanism:SCRAM-SHA-512,ssl.truststore.type:PEM,"
                + "ssl.truststore.location:/opt/flink/secrets/kafka-ca/ca.crt,config.providers:env,"
                + "config.providers.env.class:org.apache.kafka.common.config.provider.EnvVarConfigProvider,"
                + "config.providers.env.param.allowlist.pattern:^TRIBUTARY_KAFKA_JAAS_CONFIG$,"
                + "sasl.jaas.config:'${env:TRIBUTARY_KAFKA_JAAS_CONFIG}'";
    }
}
