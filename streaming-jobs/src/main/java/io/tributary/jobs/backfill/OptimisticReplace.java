package io.tributary.jobs.backfill;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.ReplacePartitions;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.ValidationException;

/**
 * A replace of hour partitions that fails if anyone else added data to them since a given snapshot,
 * instead of silently dropping it. The new files are first committed to a staging branch of their
 * own, which starts at that snapshot (Iceberg's Flink sink can write to a branch, but its overwrite
 * commits without any conflict check); then one {@code ReplacePartitions} on the main branch takes
 * them, validated from that snapshot: it fails when a commit since then added data files to, or
 * deleted or rewrote files of, the partitions it replaces (an append of the stream, another
 * backfill, a compaction), and changes nothing. The staging branch is removed either way; files of
 * a commit that failed are left to snapshot expiry, which deletes what no snapshot uses.
 */
final class OptimisticReplace implements AutoCloseable {
    /** The snapshot summary entry that names the staging branch, to find the commit afterwards. */
    static final String BACKFILL_ID = "tributary.backfill-id";
    private static final String BRANCH_PREFIX = "tributary-backfill-";

    private final Table table;
    private final Long base;
    private final String branch;

    /** The new files did not replace anything: the partitions changed since the snapshot read. */
    static final class Conflict extends Exception {
        private static final long serialVersionUID = 1L;

        Conflict(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private OptimisticReplace(Table table, Long base, String branch) {
        this.table = table;
        this.base = base;
        this.branch = branch;
    }

    /**
     * Starts a replace based on {@code base}, the snapshot of {@code table} that was current when
     * the input was read ({@code null} if the table had none): creates the staging branch at it.
     */
    static OptimisticReplace from(Table table, Long base) {
        String branch = BRANCH_PREFIX + UUID.randomUUID();
        if (base != null) {
            table.manageSnapshots().createBranch(branch, base).commit();
        }
        return new OptimisticReplace(table, base, branch);
    }

    /** The branch the new files are to be committed to (the writer creates it if the table had no snapshot). */
    String branch() {
        return branch;
    }

    /**
     * Replaces the partitions of the files committed to the staging branch with them, on the main
     * branch, in one commit validated from the base snapshot.
     *
     * @param summary entries for the commit's snapshot summary
     * @return the commit, or {@code null} when no file was staged (nothing to replace)
     * @throws Conflict when the partitions changed since the base snapshot; nothing was changed
     */
    Snapshot commit(Map<String, String> summary) throws Conflict {
        table.refresh();
        List<DataFile> files = staged();
        if (files.isEmpty()) {
            return null;
        }
        ReplacePartitions replace = table.newReplacePartitions()
                .validateNoConflictingData()
                .validateNoConflictingDeletes()
                .set(BACKFILL_ID, branch);
        if (base != null) {
            replace.validateFromSnapshot(base);
        }
        summary.forEach(replace::set);
        files.forEach(replace::addFile);
        try {
            replace.commit();
        } catch (ValidationException e) {
            throw new Conflict(table.name() + " changed in the replaced partitions after snapshot " + base
                    + ", which the backfill read: " + e.getMessage(), e);
        }
        table.refresh();
        for (Snapshot s = table.currentSnapshot(); s != null;
                s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
            if (branch.equals(s.summary().get(BACKFILL_ID))) {
                return s;
            }
        }
        throw new IllegalStateException("The replace of " + table.name() + " committed but its snapshot is not in"
                + " the table's history");
    }

    /** The data files committed to the staging branch since the base snapshot. */
    private List<DataFile> staged() {
        SnapshotRef ref = table.refs().get(branch);
        List<DataFile> files = new ArrayList<>();
        if (ref == null) {
            return files;
        }
        for (Snapshot s = table.snapshot(ref.snapshotId()); s != null && !Long.valueOf(s.snapshotId()).equals(base);
                s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
            if (s.addedDeleteFiles(table.io()).iterator().hasNext()) {
                throw new IllegalStateException("The staging branch " + branch + " of " + table.name()
                        + " has delete files; a backfill writes data files only");
            }
            s.addedDataFiles(table.io()).forEach(files::add);
        }
        return files;
    }

    /** Removes the staging branch. */
    @Override
    public void close() {
        table.refresh();
        if (table.refs().containsKey(branch)) {
            table.manageSnapshots().removeBranch(branch).commit();
        }
    }
}
