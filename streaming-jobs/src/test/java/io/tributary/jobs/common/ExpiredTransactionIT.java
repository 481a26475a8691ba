package io.tributary.jobs.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.localstack.KafkaBroker;
import io.tributary.localstack.junit.LocalServersExtension;
import io.tributary.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.connector.kafka.sink.KafkaCommittable;
import org.apache.flink.connector.kafka.sink.internal.FlinkKafkaInternalProducer;
import org.apache.flink.connector.kafka.sink.internal.KafkaCommitter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Why the sinks' transaction timeout is checked up front (SettingChecks) and alerted on: the Kafka
 * connector's committer, given a transaction the broker aborted for its timeout, reacts exactly as
 * to the harmless re-commit of an already committed one after a restart (FLINK-8086). It reports a
 * "known" failure and the job carries on, so the lost records cannot be detected where they are lost.
 */
@ExtendWith(LocalServersExtension.class)
class ExpiredTransactionIT {
    private static final String TOPIC = "txexpiry.out";

    @Test
    void theCommitterCannotTellATransactionTheBrokerAbortedFromOneAlreadyCommitted(KafkaBroker kafka) throws Exception {
        kafka.createTopic(TOPIC, 1);

        // After a restart: the transaction was committed, the restored writer re-initialised its id.
        KafkaCommittable committed;
        try (var writer = prepared(kafka, "txexpiry-committed", Duration.ofMinutes(1), "committed")) {
            committed = new KafkaCommittable(writer.getProducerId(), writer.getEpoch(), "txexpiry-committed", null);
            writer.commitTransaction();
        }
        try (var restored = new FlinkKafkaInternalProducer<byte[], byte[]>(producerProperties(kafka, Duration.ofMinutes(1)),
                "txexpiry-committed")) {
            restored.initTransactions();
        }

        // A checkpoint's transaction that waited longer than its timeout: the broker aborts it.
        KafkaCommittable expired;
        try (var writer = prepared(kafka, "txexpiry-expired", Duration.ofSeconds(1), "expired")) {
            expired = new KafkaCommittable(writer.getProducerId(), writer.getEpoch(), "txexpiry-expired", null);
        }
        awaitAbortedByTheBroker(kafka, "txexpiry-expired");

        try (var committer = new KafkaCommitter(producerProperties(kafka, Duration.ofMinutes(1)), "txexpiry", 0, 0,
                false, FlinkKafkaInternalProducer::new)) {
            Outcome reCommit = new Outcome(committed);
            Outcome lost = new Outcome(expired);
            committer.commit(List.of(reCommit));
            committer.commit(List.of(lost));

            assertThat(lost.result).isEqualTo("failed with known reason ProducerFencedException")
                    .isEqualTo(reCommit.result);
        }
        assertThat(TopicReader.readCommitted(kafka.bootstrapServers(), TOPIC))
                .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly("committed");
    }

    /** A transaction holding one record, flushed as at a checkpoint barrier and left open. */
    private static FlinkKafkaInternalProducer<byte[], byte[]> prepared(KafkaBroker kafka, String id, Duration timeout,
            String value) throws Exception {
        var producer = new FlinkKafkaInternalProducer<byte[], byte[]>(producerProperties(kafka, timeout), id);
        producer.initTransactions();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(TOPIC, value.getBytes(StandardCharsets.UTF_8))).get();
        producer.flush();
        return producer;
    }

    private static Properties producerProperties(KafkaBroker kafka, Duration transactionTimeout) {
        Properties properties = kafka.clientProperties();
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        properties.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, String.valueOf(transactionTimeout.toMillis()));
        return properties;
    }

    /** The broker looks for expired transactions every 10 s by default. */
    private static void awaitAbortedByTheBroker(KafkaBroker kafka, String id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        try (Admin admin = kafka.newAdmin()) {
            while (true) {
                TransactionState state = admin.describeTransactions(List.of(id)).description(id).get().state();
                if (state == TransactionState.COMPLETE_ABORT) {
                    return;
                }
                assertThat(System.nanoTime()).as("transaction %s still %s", id, state).isLessThan(deadline);
                Thread.sleep(500);
            }
        }
    }

    /** What the committer did with a request: committed unless it signalled otherwise. */
    private static final class Outcome implements Committer.CommitRequest<KafkaCommittable> {
        private final KafkaCommittable committable;
        String result = "committed";

        Outcome(KafkaCommittable committable) {
            this.committable = committable;
        }

        @Override
        public KafkaCommittable getCommittable() {
            return committable;
        }

        @Override
        public int getNumberOfRetries() {
            return 0;
        }

        @Override
        public void signalFailedWithKnownReason(Throwable t) {
            result = "failed with known reason " + t.getClass().getSimpleName();
        }

        @Override
        public void signalFailedWithUnknownReason(Throwable t) {
            result = "failed with unknown reason " + t.getClass().getSimpleName();
        }

        @Override
        public void retryLater() {
            result = "retry later";
        }

        @Override
        public void updateAndRetryLater(KafkaCommittable committable) {
            result = "retry later";
        }

        @Override
        public void signalAlreadyCommitted() {
            result = "already committed";
        }
    }
}
