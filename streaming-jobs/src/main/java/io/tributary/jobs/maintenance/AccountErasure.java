package io.tributary.jobs.maintenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.ManifestContent;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.RewriteManifests;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.io.SupportsPrefixOperations;
import org.apache.iceberg.parquet.Parquet;

/**
 * Erasing one account from a warehouse table: every data file that holds a row of the account is
 * rewritten without those rows (copy-on-write, so that the tables stay plain Parquet files that
 * {@link WarehouseQuery} reads), in one commit; then every older snapshot is expired and every file
 * no snapshot uses is deleted, so that no file left in the table's folder holds the account.
 *
 * <p>The commit refuses data appended since the files were read (the sink may have written more rows
 * of the account) and starts again. It carries the streaming sink's {@code flink.*} summary of the
 * snapshot it replaces: after a restore the sink finds its last committed checkpoint by walking back
 * from the current snapshot, and the expiry removes the sink's own commit.
 */
public final class AccountErasure {
    /** The column every table that identifies an account has. */
    public static final String ACCOUNT_ID = "account_id";
    /** The column of the card tokens of an account's payments, where a table has it. */
    public static final String CARD_TOKEN = "card_token";

    private static final int ATTEMPTS = 5;
    private static final String FLINK_SUMMARY_PREFIX = "flink.";
    private static final String DATA_FOLDER = "/data";

    private AccountErasure() {}

    /** What the erasure did to one table. */
    public record Erased(int rowsRemoved, int filesRewritten, Set<String> cardTokens, int snapshotsExpired,
            int filesDeleted) {
        public String describe(String table) {
            return table + ": removed " + rowsRemoved + " rows of the account from " + filesRewritten
                    + " data files, expired " + snapshotsExpired + " older snapshots, deleted " + filesDeleted
                    + " files no snapshot uses";
        }
    }

    /** Whether the table identifies accounts (has an {@value #ACCOUNT_ID} column). */
    public static boolean identifiesAccounts(Table table) {
        return table.schema().findField(ACCOUNT_ID) != null;
    }

    /**
     * Rewrites the table without the rows of {@code accountId}, then expires the snapshots before that
     * commit and deletes unused files last modified at or before {@code unusedBefore} (epoch millis):
     * newer ones may be a running sink's files of a checkpoint not yet committed.
     */
    public static Erased erase(Table table, String accountId, long unusedBefore) {
        Objects.requireNonNull(accountId, "accountId");
        for (int attempt = 1; ; attempt++) {
            table.refresh();
            try {
                Rewrite rewrite = rewrite(table, accountId);
                // Every snapshot before the erasure goes, with the files only they use; without a commit
                // of its own (nothing left to rewrite) the sink's newest commit is kept, as expiry does.
                long cutoff = table.currentSnapshot() == null ? Long.MIN_VALUE : table.currentSnapshot().timestampMillis();
                Snapshot sinkCommit = TableMaintenance.lastStreamingCommit(table);
                if (rewrite.committed == null && sinkCommit != null) {
                    cutoff = Math.min(cutoff, sinkCommit.timestampMillis());
                }
                TableMaintenance.Expired expired = TableMaintenance.expireBefore(table, cutoff, 1);
                int unused = deleteUnusedDataFiles(table, unusedBefore);
                return new Erased(rewrite.rows, rewrite.files, rewrite.cardTokens,
                        expired.snapshotsBefore() - expired.snapshotsAfter(), expired.filesDeleted() + unused);
            } catch (ValidationException e) {
                if (attempt == ATTEMPTS) {
                    throw new IllegalStateException(table.name() + ": rows kept being appended while the account was"
                            + " erased, " + ATTEMPTS + " attempts; try again", e);
                }
            }
        }
    }

    private record Rewrite(int rows, int files, Set<String> cardTokens, Snapshot committed) {}

    private static Rewrite rewrite(Table table, String accountId) {
        Snapshot base = table.currentSnapshot();
        if (base == null || !identifiesAccounts(table)) {
            return new Rewrite(0, 0, Set.of(), null);
        }
        boolean hasCards = table.schema().findField(CARD_TOKEN) != null;
        Set<String> cards = new TreeSet<>();
        List<DataFile> replaced = new ArrayList<>();
        List<DataFile> added = new ArrayList<>();
        int rows = 0;
        OutputFileFactory files = OutputFileFactory.builderFor(table, 0, System.currentTimeMillis())
                .format(FileFormat.PARQUET).build();
        GenericAppenderFactory writers = new GenericAppenderFactory(table.schema(), table.spec());
        try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(base.snapshotId())
                .filter(Expressions.equal(ACCOUNT_ID, accountId)).planFiles()) {
            for (FileScanTask task : tasks) {
                if (!task.deletes().isEmpty() || task.file().format() != FileFormat.PARQUET) {
                    throw new IllegalStateException(table.name() + " has row-level deletes or non-Parquet files,"
                            + " which this erasure does not rewrite");
                }
                List<Record> kept = new ArrayList<>();
                int removed = 0;
                try (CloseableIterable<Record> records = Parquet.read(table.io().newInputFile(task.file().location()))
                        .project(table.schema())
                        .createReaderFunc(schema -> GenericParquetReaders.buildReader(table.schema(), schema))
                        .build()) {
                    for (Record record : records) {
                        if (accountId.equals(String.valueOf(record.getField(ACCOUNT_ID)))) {
                            removed++;
                            if (hasCards && record.getField(CARD_TOKEN) != null) {
                                cards.add(record.getField(CARD_TOKEN).toString());
                            }
                        } else {
                            kept.add(record.copy());
                        }
                    }
                }
                if (removed == 0) {
                    continue; // the file's column bounds only said it might hold the account
                }
                rows += removed;
                replaced.add(task.file());
                if (!kept.isEmpty()) {
                    added.add(write(writers, files, table, task.file(), kept));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (replaced.isEmpty()) {
            return new Rewrite(0, 0, Set.copyOf(cards), null);
        }
        OverwriteFiles overwrite = table.newOverwrite().validateFromSnapshot(base.snapshotId())
                .conflictDetectionFilter(Expressions.alwaysTrue()).validateNoConflictingData()
                .validateNoConflictingDeletes();
        replaced.forEach(overwrite::deleteFile);
        added.forEach(overwrite::addFile);
        Map<String, String> sinkSummary = sinkSummary(table);
        sinkSummary.forEach(overwrite::set);
        overwrite.commit();
        // The overwrite's manifest lists the replaced files, with their column bounds (which may be the
        // account id) as deleted entries; rewritten manifests hold only live files.
        RewriteManifests manifests = table.rewriteManifests().rewriteIf(manifest -> true);
        sinkSummary.forEach(manifests::set);
        manifests.commit();
        table.refresh();
        return new Rewrite(rows, replaced.size(), Set.copyOf(cards), table.currentSnapshot());
    }

    /** The sink's {@code flink.*} summary of its newest commit, marked as an erasure's; see the class comment. */
    private static Map<String, String> sinkSummary(Table table) {
        Map<String, String> summary = new java.util.LinkedHashMap<>();
        Snapshot sinkCommit = TableMaintenance.lastStreamingCommit(table);
        if (sinkCommit != null) {
            sinkCommit.summary().forEach((key, value) -> {
                if (key.startsWith(FLINK_SUMMARY_PREFIX)) {
                    summary.put(key, value);
                }
            });
        }
        summary.put(TableMaintenance.ERASURE, "true");
        return summary;
    }

    private static DataFile write(GenericAppenderFactory writers, OutputFileFactory files, Table table, DataFile original,
            List<Record> rows) throws IOException {
        DataWriter<Record> writer = writers.newDataWriter(
                files.newOutputFile(table.specs().get(original.specId()), original.partition()), FileFormat.PARQUET,
                original.partition());
        try (writer) {
            rows.forEach(writer::write);
        }
        return writer.toDataFile();
    }

    /**
     * Deletes the files under the table's data folder that no snapshot uses (written by a failed
     * attempt, or left by an expiry that could not delete them), last modified at or before
     * {@code unusedBefore}.
     */
    static int deleteUnusedDataFiles(Table table, long unusedBefore) {
        if (!(table.io() instanceof SupportsPrefixOperations listing)) {
            throw new IllegalStateException(table.name() + ": its file IO cannot list the data folder, so files no"
                    + " snapshot uses cannot be found");
        }
        Set<String> used = usedFiles(table);
        int deleted = 0;
        for (FileInfo file : listing.listPrefix(table.location() + DATA_FOLDER)) {
            if (file.createdAtMillis() <= unusedBefore && !used.contains(pathOf(file.location()))) {
                table.io().deleteFile(file.location());
                deleted++;
            }
        }
        return deleted;
    }

    /** The paths of every data and delete file of every snapshot the table keeps. */
    static Set<String> usedFiles(Table table) {
        Set<String> used = new HashSet<>();
        Set<String> manifests = new HashSet<>();
        for (Snapshot snapshot : table.snapshots()) {
            for (ManifestFile manifest : snapshot.allManifests(table.io())) {
                if (!manifests.add(manifest.path())) {
                    continue;
                }
                try (CloseableIterable<? extends ContentFile<?>> entries = manifest.content() == ManifestContent.DATA
                        ? ManifestFiles.read(manifest, table.io(), table.specs())
                        : ManifestFiles.readDeleteManifest(manifest, table.io(), table.specs())) {
                    for (ContentFile<?> file : entries) {
                        used.add(pathOf(file.location()));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return used;
    }

    /**
     * A location as a path, whether given as {@code file:/x}, {@code file:///x} or {@code /x}, with
     * empty segments collapsed: a table's manifests may name {@code data//f} where listing finds
     * {@code data/f}, and taking them for different files would delete a live one.
     */
    static String pathOf(String location) {
        String path = location.startsWith("/") ? location : URI.create(location).getPath();
        return path.replaceAll("/{2,}", "/");
    }

    /** For the summary of a whole erasure: the tables' card tokens together. */
    public static Set<String> cardTokens(Map<String, Erased> byTable) {
        Set<String> all = new TreeSet<>();
        byTable.values().forEach(e -> all.addAll(e.cardTokens()));
        return all;
    }
}
