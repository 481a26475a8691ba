package io.tributary.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The broker in a JVM of its own keeps acknowledged records across a SIGKILL and a restart. */
class KafkaBrokerChildJvmIT {

    @Test
    void keepsAcknowledgedRecordsWhenKilledAndRestarted() throws Exception {
        try (KafkaBroker kafka = KafkaBroker.startInChildJvm()) {
            long firstPid = kafka.pid();
            assertThat(firstPid).isNotEqualTo(ProcessHandle.current().pid());
            kafka.createTopic("child-jvm-it", 2);
            send(kafka, "before");

            kafka.killAndRestart();

            assertThat(kafka.pid()).isNotEqualTo(firstPid);
            assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            send(kafka, "after");
            assertThat(readAll(kafka)).containsExactlyInAnyOrder("before", "after");
        }
    }

    private static void send(KafkaBroker kafka, String value) throws Exception {
        Properties props = kafka.clientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("child-jvm-it", value)).get();
        }
    }

    private static List<String> readAll(KafkaBroker kafka) {
        Properties props = kafka.clientProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = List.of(new TopicPartition("child-jvm-it", 0),
                    new TopicPartition("child-jvm-it", 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < 2 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
            }
        }
        return values;
    }
}
