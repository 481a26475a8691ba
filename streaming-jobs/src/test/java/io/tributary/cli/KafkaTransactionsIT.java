package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.localstack.KafkaBroker;
import io.tributary.localstack.junit.LocalServersExtension;
import io.tributary.testing.TopicReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code tributary kafka transactions} against a real broker, with a transaction left open: listed, then aborted. */
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

    @Test
    void abortsOneOpenTransactionOnlyWhenConfirmed(KafkaBroker kafka) throws Exception {
        kafka.createTopic("txabort.out", 1);
        String id = "txabort-enrichment-enriched-0";
        try (var stuck = producer(kafka, id)) {
            stuck.initTransactions();
            stuck.beginTransaction();
            stuck.send(new ProducerRecord<>("txabort.out", new byte[] {1})).get();
            String[] abort = {"kafka", "transactions", "--bootstrap-servers", kafka.bootstrapServers(), "--abort", id};

            CliRun declined = withInput("no\n", () -> CliRun.of(abort));
            CliRun unanswered = withInput("", () -> CliRun.of(abort));
            CliRun stillOpen = CliRun.of("kafka", "transactions", "--bootstrap-servers", kafka.bootstrapServers(),
                    "--prefix", "txabort-", "--older-than", "0s");
            CliRun confirmed = withInput(id + "\n", () -> CliRun.of(abort));
            CliRun again = CliRun.of(append(abort, "--yes"));

            assertThat(declined.exitCode()).isEqualTo(Tributary.FAILED);
            assertThat(declined.errLines()).containsExactly("tributary: Not confirmed: nothing aborted");
            assertThat(unanswered.errLines()).singleElement().asString().contains("--yes aborts without asking");
            assertThat(stillOpen.out()).contains(id).contains("Ongoing");
            assertThat(confirmed.exitCode()).as(confirmed.err()).isZero();
            assertThat(confirmed.out()).contains("loses this transaction's output unless it is replayed from the source")
                    .contains("Aborted the transaction of " + id);
            assertThat(again.errLines()).singleElement().asString().startsWith("tributary: No open transaction of '" + id);
            assertThatThrownBy(stuck::commitTransaction).as("the fenced producer's commit")
                    .isInstanceOf(ProducerFencedException.class);
        }
        assertThat(TopicReader.readCommitted(kafka.bootstrapServers(), "txabort.out")).isEmpty();
    }

    @Test
    void abortingAnUnknownTransactionalIdIsOneLine(KafkaBroker kafka) {
        CliRun run = CliRun.of("kafka", "transactions", "--bootstrap-servers", kafka.bootstrapServers(), "--abort",
                "nobody-0", "--yes");

        assertThat(run.exitCode()).isEqualTo(Tributary.FAILED);
        assertThat(run.errLines()).containsExactly("tributary: No open transaction of 'nobody-0'");
    }

    private static CliRun withInput(String input, java.util.function.Supplier<CliRun> run) {
        InputStream original = System.in;
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            return run.get();
        } finally {
            System.setIn(original);
        }
    }

    private static String[] append(String[] args, String more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = more;
        return all;
    }

    private static KafkaProducer<byte[], byte[]> producer(KafkaBroker kafka, String transactionalId) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId), new ByteArraySerializer(),
                new ByteArraySerializer());
    }
}
