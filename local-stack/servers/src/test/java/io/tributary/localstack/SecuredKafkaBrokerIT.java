package io.tributary.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.localstack.junit.LocalServersExtension;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The secured broker lets in only who authenticates, and lets them do only what their ACLs say. */
@ExtendWith(LocalServersExtension.class)
class SecuredKafkaBrokerIT {
    private static final String TOPIC = "secured-broker-it.events";

    @Test
    void aUserWritesOnlyWhereAnAclAllowsIt(SecuredKafkaBroker kafka) throws Exception {
        kafka.asAdmin().createTopic(TOPIC, 1);
        kafka.createUser("writer", "writer-secret");
        kafka.createUser("stranger", "stranger-secret");
        kafka.allow(List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, TOPIC, PatternType.LITERAL),
                new AccessControlEntry("User:writer", "*", AclOperation.WRITE, AclPermissionType.ALLOW))));

        try (var producer = producer(kafka.clientProperties("writer", "writer-secret"))) {
            assertThat(producer.send(new ProducerRecord<>(TOPIC, "allowed")).get().offset()).isZero();
        }
        try (var producer = producer(kafka.clientProperties("stranger", "stranger-secret"))) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(TOPIC, "refused")).get())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(AuthorizationException.class);
        }
    }

    @Test
    void aWrongPasswordIsRefused(SecuredKafkaBroker kafka) {
        kafka.createUser("forgetful", "right-secret");
        Properties properties = kafka.clientProperties("forgetful", "wrong-secret");
        try (Admin admin = Admin.create(properties)) {
            assertThatThrownBy(() -> admin.describeCluster().clusterId().get())
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    private static KafkaProducer<String, String> producer(Properties properties) {
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(Duration.ofSeconds(10).toMillis()));
        return new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
    }
}
