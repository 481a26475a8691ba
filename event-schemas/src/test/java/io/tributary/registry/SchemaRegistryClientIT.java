package io.tributary.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.contracts.ContractRegistration;
import io.tributary.contracts.TopicContract;
import io.tributary.localstack.SchemaRegistryServer;
import io.tributary.localstack.junit.LocalServersExtension;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The client against a real Apicurio registry, through its Confluent-compatible API. */
@ExtendWith(LocalServersExtension.class)
class SchemaRegistryClientIT {
    private static SchemaRegistryClient client;
    private static Map<TopicContract, Integer> ids;

    @BeforeAll
    static void registerEveryContract(SchemaRegistryServer registry) throws Exception {
        client = SchemaRegistryClient.create(SchemaRegistryConfig.builder(registry.url()).build());
        ids = ContractRegistration.registerAll(client).stream()
                .collect(Collectors.toMap(ContractRegistration.Registered::contract, ContractRegistration.Registered::id));
    }

    @Test
    void registersEverySchemaOnceWithItsCompatibilityLevel() throws Exception {
        assertThat(ids).hasSize(TopicContract.values().length);
        assertThat(client.subjects()).contains(
                java.util.Arrays.stream(TopicContract.values()).map(TopicContract::subject).toArray(String[]::new));
        for (TopicContract contract : TopicContract.values()) {
            assertThat(client.register(contract.subject(), contract.valueSchema()))
                    .as("registering %s again", contract.subject()).isEqualTo(ids.get(contract));
            assertThat(client.subjectCompatibility(contract.subject())).contains(contract.compatibility());
        }
    }

    @Test
    void looksUpByIdBySchemaAndLatestVersion() throws Exception {
        TopicContract contract = TopicContract.ENRICHED_TRANSACTIONS;
        int id = ids.get(contract);

        // A fresh client, so that the answers come from the server, not from the registering cache.
        var fresh = SchemaRegistryClient.create(client.config());
        assertThat(fresh.schemaById(id).toString()).isEqualTo(contract.valueSchema().toString());
        RegisteredSchema found = fresh.lookup(contract.subject(), contract.valueClass().getDeclaredConstructor()
                .newInstance().getSchema());
        assertThat(found.id()).isEqualTo(id);
        assertThat(found.version()).isEqualTo(1);
        RegisteredSchema latest = fresh.latestVersion(contract.subject());
        assertThat(latest.id()).isEqualTo(id);
        assertThat(latest.subject()).isEqualTo(contract.subject());
        assertThat(fresh.idFor(contract.subject(), contract.valueSchema(), false)).isEqualTo(id);
    }

    @Test
    void reportsMissingThingsWithTypedErrors() {
        assertThatThrownBy(() -> client.latestVersion("no-such-topic-value"))
                .isInstanceOfSatisfying(SubjectNotFoundException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(40401);
                    assertThat(e.subject()).isEqualTo("no-such-topic-value");
                });
        assertThatThrownBy(() -> client.schemaById(987_654))
                .isInstanceOfSatisfying(SchemaNotFoundException.class, e -> assertThat(e.errorCode()).isEqualTo(40403));
        Schema neverRegistered = new Schema.Parser().parse("""
                {"type": "record", "name": "Other", "fields": [{"name": "x", "type": "int"}]}""");
        assertThatThrownBy(() -> client.lookup(TopicContract.MERCHANTS.subject(), neverRegistered))
                .isInstanceOfSatisfying(SchemaNotFoundException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(40403);
                    assertThat(e.subject()).isEqualTo(TopicContract.MERCHANTS.subject());
                });
        assertThatThrownBy(() -> client.idFor("fresh-subject-value", neverRegistered, false))
                .isInstanceOf(SubjectNotFoundException.class);
    }

    @Test
    void checksEveryContractAgainstTheRegistry() throws Exception {
        List<ContractRegistration.Check> checks = ContractRegistration.checkAll(client);

        assertThat(checks).hasSize(TopicContract.values().length)
                .allSatisfy(c -> assertThat(c.status()).as(c.describe()).isEqualTo(ContractRegistration.Status.COMPATIBLE));

        client.setSubjectCompatibility(TopicContract.FX_RATES.subject(), CompatibilityLevel.NONE);
        try {
            assertThat(ContractRegistration.checkAll(client))
                    .filteredOn(c -> c.contract() == TopicContract.FX_RATES).singleElement()
                    .satisfies(c -> {
                        assertThat(c.status()).isEqualTo(ContractRegistration.Status.LEVEL_MISMATCH);
                        assertThat(c.ok()).isFalse();
                        assertThat(c.describe()).contains("enforces NONE").contains("promises BACKWARD_TRANSITIVE");
                    });
        } finally {
            client.setSubjectCompatibility(TopicContract.FX_RATES.subject(), TopicContract.FX_RATES.compatibility());
        }
    }
}
