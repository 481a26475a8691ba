package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class KafkaAclCheckTest {
    private static final String USER = "KafkaUser/tributary-transactions-enrichment";

    @Test
    void aMissingAndAnExtraAclAreBothFound() {
        var broken = RealManifests.baseWith("KafkaUser", u -> {
            ArrayNode acls = (ArrayNode) u.path("spec").path("authorization").path("acls");
            acls.remove(acls.size() - 1); // the transactional id prefix
            ObjectNode all = acls.addObject();
            all.putObject("resource").put("type", "topic").put("name", "*").put("patternType", "literal");
            all.putArray("operations").add("Read");
        });
        assertThat(KafkaAclCheck.check(broken)).containsExactly(
                USER + ": missing ACL Describe on transactionalId tributary-ENV-transactions-enrichment (prefix)",
                USER + ": missing ACL Write on transactionalId tributary-ENV-transactions-enrichment (prefix)",
                USER + ": ACL beyond what transactions-enrichment needs: Read on topic * (literal)",
                USER + ": may read restricted topic payments.transactions.dlq.v1, whose readers are [tributary-dlq-replay]");
    }

    @Test
    void theAclsFollowTheJobsConfiguredPrefix() {
        var broken = RealManifests.baseWith("FlinkDeployment", d -> JobDeploymentsCheckTest.args(d)
                .add("-Dtributary.enrichment.transactional-id-prefix=tributary-enrichment-v2"));
        assertThat(KafkaAclCheck.check(broken)).containsExactly(
                USER + ": missing ACL Describe on transactionalId tributary-enrichment-v2 (prefix)",
                USER + ": missing ACL Write on transactionalId tributary-enrichment-v2 (prefix)",
                USER + ": ACL beyond what transactions-enrichment needs: Describe on transactionalId "
                        + "tributary-ENV-transactions-enrichment (prefix)",
                USER + ": ACL beyond what transactions-enrichment needs: Write on transactionalId "
                        + "tributary-ENV-transactions-enrichment (prefix)");
    }

    @Test
    void aJobThatWritesNoTopicMayNotWriteOrUseTransactions() {
        String warehouse = "KafkaUser/tributary-warehouse-sink";
        var broken = RealManifests.base().stream().map(m -> {
            if (!m.id().equals(warehouse)) {
                return m;
            }
            Manifest copy = m.copy();
            ObjectNode acl = ((ArrayNode) copy.doc().at("/spec/authorization/acls")).addObject();
            acl.putObject("resource").put("type", "transactionalId").put("name", "tributary-warehouse-sink")
                    .put("patternType", "prefix");
            acl.putArray("operations").add("Write");
            return copy;
        }).toList();
        assertThat(KafkaAclCheck.check(broken)).containsExactly(warehouse
                + ": ACL beyond what warehouse-sink needs: Write on transactionalId tributary-warehouse-sink (prefix)");
    }

    @Test
    void theCredentialsMustBeAKafkaUsersSecret() {
        var broken = RealManifests.baseWith("FlinkDeployment", d -> ((ObjectNode) d.path("spec").path("podTemplate")
                .path("spec").path("containers").get(0).path("env").get(2).path("valueFrom").path("secretKeyRef"))
                .put("name", "kafka-credentials"));
        assertThat(KafkaAclCheck.check(broken)).containsExactly("FlinkDeployment/transactions-enrichment: reads its "
                + "Kafka credentials from Secret kafka-credentials, but there is no KafkaUser of that name");
    }
}
