package io.tributary.cli;

import io.tributary.contracts.RejectionReason;
import io.tributary.events.DeadLetter;
import io.tributary.events.OriginalHeader;
import io.tributary.jobs.common.CommittedTopic;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes selected dead letters back to the topics they came from, each once, however often the replay
 * is run. Each replayed record is the original: its key, value, headers and timestamp, plus the header
 * {@value #MARKER_HEADER} naming the dead letter it came from.
 *
 * <p>Idempotency rests on a ledger topic, not on a scan of the input topics for marker headers: a scan
 * would read every record written to a busy input topic since the first rejection (its retention is a
 * week), the ledger only what was replayed. Each replayed record and its ledger entry (key: the dead
 * letter's topic/partition/offset) are written in one Kafka transaction, so a record counts as replayed
 * exactly when it was. A replay reads the ledger read_committed and skips what it lists. Every replay of
 * a dead-letter topic uses the same transactional id: a second replay started meanwhile fences the first
 * (whose open batch is aborted) before it reads the ledger, so two replays never both write one record.
 */
final class DeadLetterReplay {
    /** The header naming the dead letter a replayed record came from: {@code <dlq topic>/<partition>/<offset>}. */
    static final String MARKER_HEADER = "tributary.replayed-from";
    /** Ledger entries outlive the dead letters they stand for (3 days), so no still-present one is replayed twice. */
    static final Duration LEDGER_RETENTION = Duration.ofDays(7);

    /** What a replay did, or would do. */
    record Result(Map<String, Integer> replayedByTopic, int alreadyReplayed, int withoutHeaders, int notReplayable) {
        int replayed() {
            return replayedByTopic.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private final Properties clientProperties;
    private final DeadLetterTopic deadLetters;
    private final String ledgerTopic;
    private final int batchSize;
    private final String user;

    private DeadLetterReplay(Builder b) {
        this.clientProperties = b.clientProperties;
        this.deadLetters = b.deadLetters;
        this.ledgerTopic = b.ledgerTopic != null ? b.ledgerTopic : b.deadLetters.name() + ".replays";
        this.batchSize = b.batchSize;
        this.user = b.user;
    }

    static Builder builder(Properties clientProperties, DeadLetterTopic deadLetters) {
        return new Builder(clientProperties, deadLetters);
    }

    /** The options of a replay; the Kafka client properties and the dead-letter topic are required. */
    static final class Builder {
        private final Properties clientProperties;
        private final DeadLetterTopic deadLetters;
        private String ledgerTopic;
        private int batchSize = 500;
        private String user = System.getProperty("user.name");

        private Builder(Properties clientProperties, DeadLetterTopic deadLetters) {
            this.clientProperties = Objects.requireNonNull(clientProperties, "clientProperties");
            this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        }

        /** The ledger topic; default: the dead-letter topic's name with {@code .replays}. */
        Builder ledgerTopic(String topic) {
            this.ledgerTopic = topic;
            return this;
        }

        /** Records per transaction: a failed replay leaves whole batches written, and the rerun skips them. */
        Builder batchSize(int records) {
            if (records < 1) {
                throw new IllegalArgumentException("--batch-size must be at least 1, was " + records);
            }
            this.batchSize = records;
            return this;
        }

        /** Who replays, recorded in the ledger. */
        Builder user(String name) {
            this.user = Objects.requireNonNull(name, "user");
            return this;
        }

        DeadLetterReplay build() {
            return new DeadLetterReplay(this);
        }
    }

    String ledgerTopic() {
        return ledgerTopic;
    }

    /** Replays what {@code selection} selects and the ledger does not list; with {@code dryRun}, only counts. */
    Result run(DeadLetterSelection selection, boolean dryRun) throws Exception {
        if (dryRun) {
            return pending(selection, readLedger(), new ArrayList<>());
        }
        createLedger();
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tributary-dlq-replay-" + deadLetters.name());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            // Before reading the ledger: fences an earlier replay still running and completes its open batch.
            producer.initTransactions();
            List<DeadLetterTopic.Stored> todo = new ArrayList<>();
            Result result = pending(selection, readLedger(), todo);
            for (String topic : new TreeSet<>(result.replayedByTopic().keySet())) {
                DeadLetterTopic.requireExists(clientProperties, topic);
            }
            for (int start = 0; start < todo.size(); start += batchSize) {
                producer.beginTransaction();
                try {
                    for (DeadLetterTopic.Stored stored : todo.subList(start, Math.min(todo.size(), start + batchSize))) {
                        write(producer, stored);
                    }
                    producer.commitTransaction();
                } catch (RuntimeException e) {
                    producer.abortTransaction();
                    throw e;
                }
            }
            return result;
        }
    }

    /** Counts, and collects into {@code todo}, the selected dead letters the ledger does not list. */
    private Result pending(DeadLetterSelection selection, Set<String> ledger, List<DeadLetterTopic.Stored> todo)
            throws Exception {
        Map<String, Integer> byTopic = new TreeMap<>();
        int[] already = {0};
        int[] withoutHeaders = {0};
        int[] notReplayable = {0};
        deadLetters.forEach(stored -> {
            if (!selection.matches(stored.partition(), stored.offset(), stored.deadLetter())) {
                return;
            }
            if (!RejectionReason.replayable(stored.deadLetter().getReason())) {
                notReplayable[0]++;
                return;
            }
            if (ledger.contains(stored.coordinates(deadLetters.name()))) {
                already[0]++;
                return;
            }
            todo.add(stored);
            byTopic.merge(stored.deadLetter().getSourceTopic(), 1, Integer::sum);
            if (stored.deadLetter().getOriginalHeaders() == null) {
                withoutHeaders[0]++;
            }
        });
        return new Result(byTopic, already[0], withoutHeaders[0], notReplayable[0]);
    }

    private void write(KafkaProducer<byte[], byte[]> producer, DeadLetterTopic.Stored stored) {
        DeadLetter d = stored.deadLetter();
        String coordinates = stored.coordinates(deadLetters.name());
        RecordHeaders headers = new RecordHeaders();
        if (d.getOriginalHeaders() != null) {
            for (OriginalHeader h : d.getOriginalHeaders()) {
                headers.add(new RecordHeader(h.getKey(), copy(h.getValue())));
            }
        }
        headers.add(MARKER_HEADER, coordinates.getBytes(StandardCharsets.UTF_8));
        Long timestamp = d.getSourceTimestamp() == null ? null : d.getSourceTimestamp().toEpochMilli();
        producer.send(new ProducerRecord<>(d.getSourceTopic(), null, timestamp, copy(d.getOriginalKey()),
                copy(d.getOriginalValue()), headers));
        String entry = "replayed to " + d.getSourceTopic() + " by " + user + " at " + Instant.now();
        producer.send(new ProducerRecord<>(ledgerTopic, coordinates.getBytes(StandardCharsets.UTF_8),
                entry.getBytes(StandardCharsets.UTF_8)));
    }

    /** The dead letters already replayed, read_committed; empty when no replay ever ran. */
    private Set<String> readLedger() {
        Set<String> replayed = new HashSet<>();
        CommittedTopic.readToEnd(clientProperties, ledgerTopic, Duration.ofSeconds(60),
                record -> replayed.add(new String(record.key(), StandardCharsets.UTF_8)));
        return replayed;
    }

    private void createLedger() throws Exception {
        try (Admin admin = Admin.create(clientProperties)) {
            NewTopic topic = new NewTopic(ledgerTopic, java.util.Optional.of(1), java.util.Optional.empty())
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "compact,delete",
                            TopicConfig.RETENTION_MS_CONFIG, String.valueOf(LEDGER_RETENTION.toMillis())));
            admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    /** The bytes of {@code buffer}, without moving it; null for null. */
    static byte[] copy(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
