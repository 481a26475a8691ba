package io.tributary.jobs.warehouse;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;

/** The data files of a table's current snapshot, by hour partition, and hashes of their bytes. */
final class TableFiles {
    private TableFiles() {}

    /** The data files of the current snapshot by partition (hours since the epoch). */
    static Map<String, List<DataFile>> byPartition(Table table) throws Exception {
        table.refresh();
        Map<String, List<DataFile>> files = new TreeMap<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            for (FileScanTask task : tasks) {
                files.computeIfAbsent(String.valueOf(task.file().partition().get(0, Integer.class)),
                        p -> new ArrayList<>()).add(task.file());
            }
        }
        return files;
    }

    /** Partition + path of each live data file, with a hash of its bytes. */
    static Map<String, String> hashes(Table table) throws Exception {
        Map<String, String> hashes = new TreeMap<>();
        for (var entry : byPartition(table).entrySet()) {
            for (DataFile file : entry.getValue()) {
                byte[] bytes = Files.readAllBytes(Path.of(URI.create(file.location())));
                hashes.put(entry.getKey() + " " + file.location(),
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
            }
        }
        return hashes;
    }

    /** The entries of {@link #hashes} outside one partition. */
    static Map<String, String> outside(Map<String, String> files, String partition) {
        return files.entrySet().stream().filter(e -> !e.getKey().startsWith(partition + " "))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
    }

    /** The entries of {@link #hashes} in one partition. */
    static Map<String, String> inside(Map<String, String> files, String partition) {
        return files.entrySet().stream().filter(e -> e.getKey().startsWith(partition + " "))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
    }
}
