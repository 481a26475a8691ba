package io.tributary.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.CompactRangeOptions;
import org.rocksdb.CompactionStyle;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.LiveFileMetaData;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

/**
 * The profiles moved RocksDB from level to universal compaction without compression. A job
 * upgraded from its last checkpoint (the operator's {@code last-state} upgrade) reopens the SST
 * files an older version wrote, level by level, with the new options: with Flink's own RocksDB
 * build, every key must still be there, and the database must go on compacting.
 */
class CompactionStyleSwitchTest {
    private static final int KEYS = 50_000;

    @Test
    void aDatabaseWrittenWithLevelCompactionOpensAndCompactsUnderUniversal(@TempDir Path directory) throws Exception {
        RocksDB.loadLibrary();
        String path = directory.toString();
        try (Options level = new Options().setCreateIfMissing(true).setCompactionStyle(CompactionStyle.LEVEL)
                .setCompressionType(CompressionType.SNAPPY_COMPRESSION);
                RocksDB db = RocksDB.open(level, path)) {
            write(db, 0, KEYS);
            try (CompactRangeOptions toBottom = new CompactRangeOptions()
                    .setBottommostLevelCompaction(CompactRangeOptions.BottommostLevelCompaction.kForce)) {
                db.compactRange(null, null, null, toBottom);
            }
            write(db, KEYS, KEYS);
            assertThat(db.getLiveFilesMetaData()).extracting(LiveFileMetaData::level)
                    .as("files on more than one level, as a level-compacted job leaves them").contains(0)
                    .anyMatch(l -> l > 0);
        }

        try (Options universal = new Options().setCompactionStyle(CompactionStyle.UNIVERSAL)
                .setCompressionType(CompressionType.NO_COMPRESSION);
                RocksDB db = RocksDB.open(universal, path)) {
            assertAllPresent(db, 2 * KEYS);
            write(db, 2 * KEYS, KEYS);
            db.compactRange();
            assertAllPresent(db, 3 * KEYS);
        }
    }

    /**
     * Writes {@code count} keys from {@code first}, scattered (a prime stride, bit-reversed keys) as
     * random event ids are, flushing every 10,000 as checkpoints do.
     */
    private static void write(RocksDB db, int first, int count) throws Exception {
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            for (int i = 0; i < count; i++) {
                int key = first + (int) (i * 7919L % count);
                db.put(key(key), value(key));
                if (i % 10_000 == 9_999) {
                    db.flush(flush);
                }
            }
            db.flush(flush);
        }
    }

    private static void assertAllPresent(RocksDB db, int count) throws Exception {
        for (int key = 0; key < count; key++) {
            assertThat(db.get(key(key))).as("key %d", key).isEqualTo(value(key));
        }
    }

    private static byte[] key(int key) {
        return ByteBuffer.allocate(8).putInt(Integer.reverse(key)).putInt(key).array();
    }

    private static byte[] value(int key) {
        return ("value-" + key).getBytes();
    }
}
