package io.tributary.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** What a stream job has read (its consumer group's offsets) and what its savepoint files hold, for the erasure ITs. */
public final class StreamJobProgress {
    private StreamJobProgress() {}

    /**
     * Waits until {@code group} has committed offsets past every record now in {@code topics}. The
     * Kafka source commits when a checkpoint completes, so what the job read is then in its state.
     */
    public static void awaitCommitted(String bootstrapServers, String group, List<String> topics, Duration timeout)
            throws Exception {
        // The end of each partition as a read_committed reader sees it: the offset after its last
        // record (a transaction's commit marker takes an offset no consumer position passes).
        Map<TopicPartition, Long> ends = new HashMap<>();
        for (String topic : topics) {
            for (ConsumerRecord<byte[], byte[]> r : TopicReader.readCommitted(bootstrapServers, topic)) {
                ends.merge(new TopicPartition(r.topic(), r.partition()), r.offset() + 1, Math::max);
            }
        }
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(props)) {
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                List<TopicPartition> behind = ends.entrySet().stream()
                        .filter(e -> committed.get(e.getKey()) == null || committed.get(e.getKey()).offset() < e.getValue())
                        .map(Map.Entry::getKey).toList();
                if (behind.isEmpty()) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(group + " did not read to the end of " + behind);
                }
                Thread.sleep(500);
            }
        }
    }

    /** The files under {@code folders} whose bytes contain any of {@code needles} (UTF-8), each with the needle. */
    public static List<String> filesHolding(Collection<Path> folders, Collection<String> needles) throws Exception {
        List<String> found = new ArrayList<>();
        for (Path folder : folders) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(folder)) {
                files = walk.filter(Files::isRegularFile).toList();
            }
            for (Path file : files) {
                byte[] bytes = Files.readAllBytes(file);
                for (String needle : needles) {
                    if (indexOf(bytes, needle.getBytes(StandardCharsets.UTF_8)) >= 0) {
                        found.add(folder.getFileName() + "/" + folder.relativize(file) + " holds " + needle);
                    }
                }
            }
        }
        return found;
    }

    /** The folder of a savepoint from the path Flink returns for it. */
    public static Path folder(String savepointPath) {
        return Path.of(java.net.URI.create(savepointPath.startsWith("/") ? "file:" + savepointPath : savepointPath));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
