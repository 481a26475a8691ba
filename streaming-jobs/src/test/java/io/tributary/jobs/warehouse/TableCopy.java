package io.tributary.jobs.warehouse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.DataOperations;
import org.apache.iceberg.DeleteFiles;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotUpdate;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.CloseableIterable;

/**
 * A deep copy of a table, for a test that changes tables without changing them for the others:
 * the same schema (with the same field ids), partition spec, sort order and properties, a copy of
 * every data file, byte for byte, under the new table's location, and the history that is still
 * in the table replayed in order. The oldest snapshot still kept becomes one append of all its
 * files; every later one is committed again as the same operation (append, replace, overwrite,
 * delete) of the same files, with the {@code flink.*} summary entries that the streaming sink
 * wrote (expiry looks for the sink's last commit by them). Only the commit times are new.
 *
 * <p>Nothing is shared with the source: expiry or compaction of the copy deletes or replaces only
 * the copy's files.
 */
final class TableCopy {
    /** The snapshot summary entries of Iceberg's Flink committers (job id, checkpoint id, operator id). */
    private static final String FLINK_SUMMARY_PREFIX = "flink.";

    private final Table source;
    private final Table copy;
    /** The copy of each source data file, by the source file's location. */
    private final Map<String, DataFile> copies = new HashMap<>();

    private TableCopy(Table source, Table copy) {
        this.source = source;
        this.copy = copy;
    }

    /** Creates {@code target} in {@code catalog} as a copy of {@code source}; returns the new table. */
    static Table copy(Table source, Catalog catalog, TableIdentifier target) {
        Map<String, String> properties = new HashMap<>(source.properties());
        properties.put(TableProperties.FORMAT_VERSION,
                String.valueOf(((HasTableOperations) source).operations().current().formatVersion()));
        Table copy = catalog.buildTable(target, source.schema())
                .withPartitionSpec(source.spec())
                .withSortOrder(source.sortOrder())
                .withProperties(properties)
                .create();
        // The data files' column statistics and partition tuples refer to field ids: they must match.
        if (!copy.schema().sameSchema(source.schema()) || copy.spec().specId() != source.spec().specId()
                || !copy.spec().fields().equals(source.spec().fields())) {
            throw new IllegalStateException("The copy " + target + " of " + source.name()
                    + " did not get the same field ids: " + copy.schema() + " " + copy.spec() + " instead of "
                    + source.schema() + " " + source.spec());
        }
        new TableCopy(source, copy).replayHistory();
        copy.refresh();
        return copy;
    }

    private void replayHistory() {
        List<Snapshot> history = new ArrayList<>();
        for (Snapshot s = source.currentSnapshot(); s != null;
                s = s.parentId() == null ? null : source.snapshot(s.parentId())) {
            history.add(0, s);
        }
        for (int i = 0; i < history.size(); i++) {
            Snapshot s = history.get(i);
            if (s.addedDeleteFiles(source.io()).iterator().hasNext()
                    || s.removedDeleteFiles(source.io()).iterator().hasNext()) {
                throw new UnsupportedOperationException(source.name() + " has delete files; the tests' tables have none");
            }
            if (i == 0) {
                AppendFiles append = copy.newAppend();
                liveFiles(s).forEach(f -> append.appendFile(copyOf(f)));
                commit(append, s);
                continue;
            }
            Iterable<DataFile> added = s.addedDataFiles(source.io());
            Iterable<DataFile> removed = s.removedDataFiles(source.io());
            switch (s.operation()) {
                case DataOperations.APPEND -> {
                    AppendFiles append = copy.newAppend();
                    added.forEach(f -> append.appendFile(copyOf(f)));
                    commit(append, s);
                }
                case DataOperations.REPLACE -> {
                    RewriteFiles rewrite = copy.newRewrite();
                    removed.forEach(f -> rewrite.deleteFile(copied(f)));
                    added.forEach(f -> rewrite.addFile(copyOf(f)));
                    commit(rewrite, s);
                }
                case DataOperations.OVERWRITE -> {
                    OverwriteFiles overwrite = copy.newOverwrite();
                    removed.forEach(f -> overwrite.deleteFile(copied(f)));
                    added.forEach(f -> overwrite.addFile(copyOf(f)));
                    commit(overwrite, s);
                }
                case DataOperations.DELETE -> {
                    DeleteFiles delete = copy.newDelete();
                    removed.forEach(f -> delete.deleteFile(copied(f)));
                    commit(delete, s);
                }
                default -> throw new UnsupportedOperationException("Snapshot operation " + s.operation());
            }
        }
    }

    private List<DataFile> liveFiles(Snapshot snapshot) {
        List<DataFile> files = new ArrayList<>();
        try (CloseableIterable<FileScanTask> tasks = source.newScan().useSnapshot(snapshot.snapshotId()).planFiles()) {
            tasks.forEach(task -> files.add(task.file()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private void commit(SnapshotUpdate<?> update, Snapshot like) {
        like.summary().forEach((key, value) -> {
            if (key.startsWith(FLINK_SUMMARY_PREFIX)) {
                update.set(key, value);
            }
        });
        update.commit();
    }

    /** Copies a data file's bytes into the copy's data folder, in the same partition folder. */
    private DataFile copyOf(DataFile file) {
        String name = file.location().substring(file.location().lastIndexOf('/') + 1);
        String location = copy.locationProvider().newDataLocation(copy.spec(), file.partition(), name);
        try (InputStream in = source.io().newInputFile(file.location()).newStream();
                OutputStream out = copy.io().newOutputFile(location).create()) {
            in.transferTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DataFile copied = DataFiles.builder(copy.spec()).copy(file).withPath(location).build();
        if (copies.putIfAbsent(file.location(), copied) != null) {
            throw new IllegalStateException(file.location() + " is added twice in the history of " + source.name());
        }
        return copied;
    }

    /** The copy made earlier of a file that a later snapshot removes. */
    private DataFile copied(DataFile file) {
        DataFile copied = copies.get(file.location());
        if (copied == null) {
            throw new IllegalStateException(file.location() + " is removed before it was added in " + source.name());
        }
        return copied;
    }
}
