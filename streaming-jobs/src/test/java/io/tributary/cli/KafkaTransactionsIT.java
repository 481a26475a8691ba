package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.localstack.KafkaBroker;
import io.tributary.localstack.junit.LocalServersExtension;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code tributary kafka transactions} against a real broker, with a transaction left open. */
@ExtendWith(LocalServersExtension.class)
class KafkaTransactionsIT {

    @Test
    void listsTheOpenTransactionsOfThePrefixes(KafkaBroker kafka) throws Exception {
        kafka.createTopic("txlist.out", 1);
        try (var stuck = producer(kafka, "txlist-enrichment-enriched-0");
                var other = producer(kafka, "someone-else-0")) {
            for (var producer : java.util.List.of(stuck, other)) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("txlist.out", new byte[] {1})).get();
            }

            CliRun open = CliRun.of("kafka", "transactions", "--bootstrap-servers", kafka.bootstrapServers(),
                    "--prefix", "txlist-", "--older-than", "0s");
            CliRun young = CliRun.of("kafka", "transactions", "--bootstrap-servers", kafka.bootstrapServers(),
                    "--prefix", "txlist-", "--older-than", "1h");

            assertThat(open.exitCode()).as(open.err()).isZero();
            assertThat(open.out()).contains("txlist-enrichment-enriched-0").contains("Ongoing")
                    .doesNotContain("someone-else-0");
            assertThat(young.out()).contains("No transaction of [txlist-] open longer than 3600 s.");
            stuck.abortTransaction();
            other.abortTransaction();
        }
    }

    @Test
    void defaultsToTheJobsPrefixes(KafkaBroker kafka) {
        CliRun run = CliRun.of("kafka", "transactions", "--bootstrap-servers", kafka.bootstrapServers(),
                "-D", "tributary.fraud.transactional-id-prefix=tx-fraud-test");

        assertThat(run.out()).contains("tributary-transactions-enrichment").contains("tx-fraud-test")
                .contains("tributary-live-metrics");
    }

    private static KafkaProducer<byte[], byte[]> producer(KafkaBroker kafka, String transactionalId) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId), new ByteArraySerializer(),
                new ByteArraySerializer());
    }
}
