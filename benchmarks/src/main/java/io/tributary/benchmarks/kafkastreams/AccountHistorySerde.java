package io.tributary.benchmarks.kafkastreams;

import io.tributary.events.RiskLevel;
import io.tributary.jobs.enrichment.AccountHistory;
import io.tributary.jobs.enrichment.AccountSnapshot;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The bytes of an account's profile versions in the peer's RocksDB store and its changelog: the
 * Flink job keeps the same {@link AccountHistory} under its account key, with Flink's POJO
 * serializer; this is the Kafka Streams equivalent, field by field.
 */
final class AccountHistorySerde {
    private AccountHistorySerde() {}

    static Serde<AccountHistory> serde() {
        return Serdes.serdeFrom(serializer(), deserializer());
    }

    private static Serializer<AccountHistory> serializer() {
        return (topic, history) -> {
            if (history == null) {
                return null;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * history.versions.length + 4);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(history.versions.length);
                for (AccountSnapshot v : history.versions) {
                    out.writeUTF(v.accountId);
                    writeNullable(out, v.riskTier == null ? null : v.riskTier.name());
                    writeNullable(out, v.homeCountry);
                    out.writeLong(v.updatedAt);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        };
    }

    private static Deserializer<AccountHistory> deserializer() {
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
                AccountHistory history = new AccountHistory();
                history.versions = new AccountSnapshot[in.readInt()];
                for (int i = 0; i < history.versions.length; i++) {
                    String accountId = in.readUTF();
                    String riskTier = readNullable(in);
                    String homeCountry = readNullable(in);
                    history.versions[i] = new AccountSnapshot(accountId,
                            riskTier == null ? null : RiskLevel.valueOf(riskTier), homeCountry, in.readLong());
                }
                return history;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    private static void writeNullable(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
